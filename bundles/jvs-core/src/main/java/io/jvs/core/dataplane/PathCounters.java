package io.jvs.core.dataplane;

import io.jvs.core.wire.PacketValidator;

/**
 * What happened to frames, by reason: one {@code long[]} per worker (single writer), summed for reading. The
 * first {@link PacketValidator#VERDICTS} entries are the validator's verdicts (malformed frames); the rest are
 * decisions of the packet path.
 */
public final class PathCounters {
    private static final int V = PacketValidator.VERDICTS;
    /** Frames received. */
    public static final int RX = 0;
    /** Packets forwarded (NAT or DR, both directions; a packet sent as fragments once). */
    public static final int FORWARDED = V;
    /** Frames for another host's MAC (seen on a shared segment). */
    public static final int OTHER_HOST = V + 1;
    /** Frames left to the kernel: not for a VIP, not of a connection. */
    public static final int PASSED = V + 2;
    /** ARP replies sent for VIPs. */
    public static final int ARP_REPLIES = V + 3;
    /** ICMP echo replies sent from VIPs. */
    public static final int ECHO_REPLIES = V + 4;
    /** ICMP errors relayed for a connection. */
    public static final int ICMP_RELAYED = V + 5;
    /** TCP segment to a VIP without a connection and without SYN (sloppy_tcp off). */
    public static final int DROP_NOT_SYN = V + 6;
    /** Packet to a VIP port with no service. */
    public static final int DROP_NO_SERVICE = V + 7;
    /** No realserver available: ICMP port unreachable sent, packet dropped. */
    public static final int DROP_NO_DESTINATION = V + 8;
    /** The connection table is full. */
    public static final int DROP_TABLE_FULL = V + 9;
    /** No route to the next hop out of a data-plane interface. */
    public static final int DROP_NO_ROUTE = V + 10;
    /** The next hop's MAC did not resolve in time, or too many frames were waiting for ARP. */
    public static final int DROP_NO_NEIGHBOUR = V + 11;
    /** The transmit ring was full. */
    public static final int DROP_TX_FULL = V + 12;
    /** TTL would reach 0 on forwarding. */
    public static final int DROP_TTL = V + 13;
    /** The connection's realserver was deleted or is unavailable, and expire_nodest_conn is off: the packet is dropped. */
    public static final int DROP_DEST_GONE = V + 14;
    /** Direct routing to a realserver that is not on a connected subnet. */
    public static final int DROP_NOT_CONNECTED = V + 15;
    /** Forwarding method or address family this core does not forward (tunnel, local, IPv6). */
    public static final int DROP_UNSUPPORTED = V + 16;
    /** Connections whose port was reused: the old connection ended and the SYN was scheduled anew. */
    public static final int REUSED = V + 17;
    /** Frames sent once their next hop resolved. */
    public static final int RELEASED = V + 18;
    /**
     * Connections ended by expire_nodest_conn when a packet found their realserver gone; that packet then goes on
     * as one of no connection (a SYN or a datagram is scheduled anew, another TCP segment dropped as not a SYN).
     */
    public static final int NODEST_EXPIRED = V + 19;
    /**
     * A packet with DF larger than the MTU of its path out: dropped, and ICMP "fragmentation needed" with that MTU
     * sent to its source, as the kernel's forwarding and IPVS do (path MTU discovery).
     */
    public static final int DROP_FRAG_NEEDED = V + 20;
    /** Packets without DF larger than the MTU of their path out, sent as fragments (a note: also forwarded). */
    public static final int FRAGMENTED = V + 21;
    /**
     * ICMP errors not sent (port unreachable, time exceeded) because the worker's budget, as the kernel's
     * {@code icmp_msgs_per_sec} and {@code icmp_msgs_burst}, was spent, or their destination host's, as {@code
     * icmp_ratelimit} (the kernel's OutRateLimitGlobal and OutRateLimitHost together); the packet's own outcome
     * still counts.
     */
    public static final int ICMP_LIMITED = V + 22;
    /**
     * A packet to a VIP from an address no host can send from (0.0.0.0/8, 127.0.0.0/8, multicast, 255.255.255.255):
     * dropped, as the kernel's routing drops a martian source before IPVS sees it, and never answered.
     */
    public static final int DROP_MARTIAN = V + 23;
    public static final int SIZE = V + 24;

    private static final String[] NAMES = {"forwarded", "other_host", "passed", "arp_replies", "echo_replies",
        "icmp_relayed", "drop_not_syn", "drop_no_service", "drop_no_destination", "drop_table_full",
        "drop_no_route", "drop_no_neighbour", "drop_tx_full", "drop_ttl", "drop_dest_gone", "drop_not_connected",
        "drop_unsupported", "reused", "released", "nodest_expired",
        "drop_frag_needed", "fragmented", "icmp_limited", "drop_martian"};

    private PathCounters() {
    }

    /** A readable name: {@code rx}, the validator's verdict names in lower case, or the path's. */
    public static String name(final int counter) {
        if (counter == RX) {
            return "rx";
        }
        return counter < V ? PacketValidator.name(counter).toLowerCase(java.util.Locale.ROOT) : NAMES[counter - V];
    }
}
