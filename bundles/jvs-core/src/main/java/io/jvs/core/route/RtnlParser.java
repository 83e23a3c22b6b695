package io.jvs.core.route;

import io.jvs.core.os.LibC;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the replies of one dump (links, then addresses, then routes) into a {@link RouteTable}. Every length
 * is checked against its container before use: a message or attribute that does not fit is dropped and
 * counted, never thrown, and a message with a bad attribute is dropped whole, since a route read without its
 * gateway would send traffic to the wrong place. Not thread-safe: one dump at a time.
 */
final class RtnlParser {
    /** {@link #parse} result: the dump goes on in the next datagram. */
    static final int MORE = 0;
    /** {@link #parse} result: the dump is complete. Errors are negative errnos. */
    static final int DONE = 1;
    private static final Logger LOG = LoggerFactory.getLogger(RtnlParser.class);
    private static final int EIO = 5;
    private static final int ATTRIBUTES = Rtnl.RTA_TABLE + 1;

    private final List<Link> links = new ArrayList<>();
    private final List<InterfaceAddress> addresses = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();
    /** Data offset of each attribute type of the message being read, -1 if absent; and its data length. */
    private final int[] attrAt = new int[ATTRIBUTES];
    private final int[] attrLen = new int[ATTRIBUTES];
    private boolean interrupted;
    /** One writer (the dumping thread), read by any. */
    private volatile long malformed;

    /** Forgets the previous dump; the malformed count goes on. */
    void reset() {
        links.clear();
        addresses.clear();
        routes.clear();
        interrupted = false;
    }

    /**
     * Reads the messages of one datagram ({@code [0, limit)}, host order) that answer request {@code seq};
     * others are leftovers of an abandoned dump and are skipped. Returns {@link #MORE}, {@link #DONE} or the
     * negative errno the kernel answered.
     */
    int parse(final ByteBuffer datagram, final int seq) {
        if (datagram.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("netlink messages are in host order");
        }
        final int end = datagram.limit();
        int at = 0;
        while (end - at >= Rtnl.NLMSG_HDRLEN) {
            final int length = datagram.getInt(at);
            if (length < Rtnl.NLMSG_HDRLEN || length > end - at) {
                drop("message length " + length + " with " + (end - at) + " bytes left");
                return MORE;
            }
            if (datagram.getInt(at + 8) == seq) {
                if ((datagram.getShort(at + 6) & Rtnl.NLM_F_DUMP_INTR) != 0) {
                    interrupted = true;
                }
                final int status = message(datagram, datagram.getShort(at + 4) & 0xFFFF, at + Rtnl.NLMSG_HDRLEN,
                        at + length);
                if (status != MORE) {
                    return status;
                }
            }
            at += Rtnl.align(length);
        }
        if (at < end) {
            drop((end - at) + " trailing bytes");
        }
        return MORE;
    }

    /** Whether the kernel flagged the dump as cut by a concurrent change: its result may be inconsistent. */
    boolean interrupted() {
        return interrupted;
    }

    long malformed() {
        return malformed;
    }

    RouteTable table() {
        return new RouteTable(links, addresses, routes);
    }

    private int message(final ByteBuffer d, final int type, final int from, final int end) {
        switch (type) {
            case Rtnl.NLMSG_DONE:
                // Its payload, when there, is the dump's own result: negative when the dump failed.
                return end - from >= 4 && d.getInt(from) < 0 ? d.getInt(from) : DONE;
            case Rtnl.NLMSG_ERROR:
                if (end - from < 4 || d.getInt(from) > 0) {
                    drop("error message without an errno");
                    return -EIO;
                }
                return d.getInt(from) == 0 ? MORE : d.getInt(from);
            case Rtnl.RTM_NEWLINK:
                link(d, from, end);
                return MORE;
            case Rtnl.RTM_NEWADDR:
                address(d, from, end);
                return MORE;
            case Rtnl.RTM_NEWROUTE:
                route(d, from, end);
                return MORE;
            default:
                return MORE;
        }
    }

    private void link(final ByteBuffer d, final int from, final int end) {
        if (end - from < Rtnl.IFINFOMSG_LEN || !index(d, from + Rtnl.IFINFOMSG_LEN, end)) {
            drop("link message");
            return;
        }
        final int ifIndex = d.getInt(from + 4);
        final int flags = d.getInt(from + 8);
        final String name = string(d, Rtnl.IFLA_IFNAME);
        if (ifIndex <= 0 || name.isEmpty() || !sized(Rtnl.IFLA_MTU, 4)) {
            drop("link " + ifIndex + " with no name or a bad mtu");
            return;
        }
        // Loopback, tunnels and the like have no 6-byte hardware address; 0 says so.
        final boolean ethernet = attrAt[Rtnl.IFLA_ADDRESS] >= 0 && attrLen[Rtnl.IFLA_ADDRESS] == 6;
        final int up = Rtnl.IFF_UP | Rtnl.IFF_RUNNING;
        links.add(new Link(ifIndex, name, ethernet ? mac(d, attrAt[Rtnl.IFLA_ADDRESS]) : 0,
                attrAt[Rtnl.IFLA_MTU] < 0 ? 0 : d.getInt(attrAt[Rtnl.IFLA_MTU]), (flags & up) == up));
    }

    private void address(final ByteBuffer d, final int from, final int end) {
        if (end - from < Rtnl.IFADDRMSG_LEN || !index(d, from + Rtnl.IFADDRMSG_LEN, end)) {
            drop("address message");
            return;
        }
        if ((d.get(from) & 0xFF) != LibC.AF_INET) {
            return;
        }
        final int prefixLength = d.get(from + 1) & 0xFF;
        final int ifIndex = d.getInt(from + 4);
        // IFA_ADDRESS is the peer on point-to-point links; IFA_LOCAL, when present, is ours.
        final int attr = attrAt[Rtnl.IFA_LOCAL] >= 0 ? Rtnl.IFA_LOCAL : Rtnl.IFA_ADDRESS;
        if (prefixLength > 32 || ifIndex <= 0 || attrAt[attr] < 0 || !sized(attr, 4)) {
            drop("address of interface " + ifIndex + "/" + prefixLength);
            return;
        }
        addresses.add(new InterfaceAddress(ifIndex, networkInt(d, attrAt[attr]), prefixLength));
    }

    private void route(final ByteBuffer d, final int from, final int end) {
        if (end - from < Rtnl.RTMSG_LEN || !index(d, from + Rtnl.RTMSG_LEN, end)) {
            drop("route message");
            return;
        }
        if ((d.get(from) & 0xFF) != LibC.AF_INET) {
            return;
        }
        final int prefixLength = d.get(from + 1) & 0xFF;
        if (prefixLength > 32 || (prefixLength > 0 && attrAt[Rtnl.RTA_DST] < 0) || !sized(Rtnl.RTA_DST, 4)
                || !sized(Rtnl.RTA_GATEWAY, 4) || !sized(Rtnl.RTA_OIF, 4) || !sized(Rtnl.RTA_PRIORITY, 4)
                || !sized(Rtnl.RTA_TABLE, 4)) {
            drop("route of prefix length " + prefixLength);
            return;
        }
        // rtm_table holds 8 bits; RTA_TABLE, when present, is the whole table id.
        final int table = attrAt[Rtnl.RTA_TABLE] >= 0 ? d.getInt(attrAt[Rtnl.RTA_TABLE]) : d.get(from + 4) & 0xFF;
        final boolean cloned = (d.getInt(from + 8) & Rtnl.RTM_F_CLONED) != 0;
        if (table != Rtnl.RT_TABLE_MAIN || (d.get(from + 7) & 0xFF) != Rtnl.RTN_UNICAST || cloned) {
            return;
        }
        final int destination = prefixLength == 0 ? 0 : networkInt(d, attrAt[Rtnl.RTA_DST]);
        final int ifIndex = attrAt[Rtnl.RTA_OIF] >= 0 ? d.getInt(attrAt[Rtnl.RTA_OIF]) : 0;
        if (ifIndex <= 0) {
            LOG.debug("skipped route {}/{} without a single output interface (multipath or nexthop object)",
                    Formats.ipv4(destination), prefixLength);
            return;
        }
        routes.add(new Route(destination, prefixLength,
                attrAt[Rtnl.RTA_GATEWAY] >= 0 ? networkInt(d, attrAt[Rtnl.RTA_GATEWAY]) : 0, ifIndex,
                attrAt[Rtnl.RTA_PRIORITY] >= 0 ? d.getInt(attrAt[Rtnl.RTA_PRIORITY]) : 0, routeMtu(d)));
    }

    /**
     * The route's RTAX_MTU metric ({@code ip route ... mtu N}), or 0 when it has none; a malformed or impossible
     * one (outside 68..65535) is ignored, so the link's MTU applies.
     */
    private int routeMtu(final ByteBuffer d) {
        final int from = attrAt[Rtnl.RTA_METRICS];
        if (from < 0) {
            return 0;
        }
        final int end = from + attrLen[Rtnl.RTA_METRICS];
        int at = from;
        while (end - at >= Rtnl.RTA_HDRLEN) {
            final int length = d.getShort(at) & 0xFFFF;
            if (length < Rtnl.RTA_HDRLEN || length > end - at) {
                return 0;
            }
            if ((d.getShort(at + 2) & Rtnl.NLA_TYPE_MASK) == Rtnl.RTAX_MTU && length == Rtnl.RTA_HDRLEN + 4) {
                final int mtu = d.getInt(at + Rtnl.RTA_HDRLEN);
                return mtu >= 68 && mtu <= 65535 ? mtu : 0;
            }
            at += Rtnl.align(length);
        }
        return 0;
    }

    /** Notes where each attribute of {@code [from, end)} is; false when one's length does not fit. */
    private boolean index(final ByteBuffer d, final int from, final int end) {
        Arrays.fill(attrAt, -1);
        int at = from;
        while (end - at >= Rtnl.RTA_HDRLEN) {
            final int length = d.getShort(at) & 0xFFFF;
            if (length < Rtnl.RTA_HDRLEN || length > end - at) {
                return false;
            }
            final int type = d.getShort(at + 2) & Rtnl.NLA_TYPE_MASK;
            if (type < ATTRIBUTES) {
                attrAt[type] = at + Rtnl.RTA_HDRLEN;
                attrLen[type] = length - Rtnl.RTA_HDRLEN;
            }
            at += Rtnl.align(length);
        }
        return true;
    }

    /** Whether the attribute is absent or has exactly {@code length} bytes of data. */
    private boolean sized(final int type, final int length) {
        return attrAt[type] < 0 || attrLen[type] == length;
    }

    /** A NUL-terminated string attribute, "" when absent. */
    private String string(final ByteBuffer d, final int type) {
        final int at = attrAt[type];
        if (at < 0) {
            return "";
        }
        int length = 0;
        while (length < attrLen[type] && d.get(at + length) != 0) {
            length++;
        }
        final byte[] bytes = new byte[length];
        d.get(at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static long mac(final ByteBuffer d, final int at) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | (d.get(at + i) & 0xFF);
        }
        return mac;
    }

    /** An address inside an attribute: network order whatever the host's. */
    private static int networkInt(final ByteBuffer d, final int at) {
        final int value = d.getInt(at);
        return d.order() == ByteOrder.BIG_ENDIAN ? value : Integer.reverseBytes(value);
    }

    private void drop(final String why) {
        malformed++;
        LOG.debug("dropped malformed rtnetlink data: {}", why);
    }
}
