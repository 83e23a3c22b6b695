package io.jvs.core.wire;

import java.nio.ByteBuffer;

/**
 * The parse step of the packet path: classifies one Ethernet frame into a verdict code, never throwing and
 * never allocating, so a worker can index a per-reason drop counter array ({@link #VERDICTS} long).
 * One instance per worker (it holds flyweights and the parse results of the last frame).
 *
 * <p>Checks run outside in, like the kernel's {@code ip_rcv_core}: L2, then L3 against the frame, then L4
 * against the IP datagram. Once the IP header is parsed, L4 bounds come from the total / payload length, not
 * the frame: Ethernet padding is ignored, and a frame shorter than its datagram is {@link #BAD_TOTAL_LENGTH}.
 * After {@link #OK} the accessors and the wrapped flyweights describe the frame, so nothing is parsed twice.
 *
 * <p>Precondition: the buffer is big-endian (the flyweights refuse others at wrap).
 */
public final class PacketValidator {
    /** Parsed: IPv4 or IPv6 with TCP, UDP or ICMP(v6), or an Ethernet/IPv4 ARP packet. */
    public static final int OK = 0;
    /** Frame shorter than its Ethernet header and VLAN tags, or more than two tags. */
    public static final int TRUNCATED_L2 = 1;
    /** Ethertype other than IPv4, IPv6 or ARP (LLDP, MPLS, ...). */
    public static final int UNSUPPORTED_ETHERTYPE = 2;
    /** Frame ends inside the IP header (fixed part or IPv4 options), inside an IPv6 extension header, or inside ARP. */
    public static final int TRUNCATED_L3 = 3;
    /** IP version nibble does not match the ethertype (4 for 0x0800, 6 for 0x86DD). */
    public static final int BAD_IP_VERSION = 4;
    /** IPv4 IHL below 5 words. */
    public static final int BAD_IHL = 5;
    /** IPv4 total length below the header length or beyond the frame; IPv6 payload length beyond the frame. */
    public static final int BAD_TOTAL_LENGTH = 6;
    /** IPv4 header checksum does not verify. */
    public static final int BAD_IP_CHECKSUM = 7;
    /** IPv4 MF flag or non-zero fragment offset; IPv6 Fragment header. Reassembly is not the core's job. */
    public static final int FRAGMENT = 8;
    /** L4 other than TCP/UDP/ICMP (ICMPv6 over IPv6); non-Ethernet/IPv4 ARP; IPv6 chain of ESP, AH or too many extensions. */
    public static final int UNSUPPORTED_PROTOCOL = 9;
    /** Datagram too short for the L4 header: TCP 20 bytes or its data offset, UDP 8 or its length field, ICMP 8. */
    public static final int TRUNCATED_L4 = 10;
    /** TCP data offset below 5 words, or UDP length below 8. */
    public static final int BAD_L4_HEADER = 11;
    /** TCP, UDP or ICMP checksum does not verify (if enabled); UDP over IPv6 with checksum 0. */
    public static final int BAD_L4_CHECKSUM = 12;
    /** Number of verdict codes: size of a per-reason counter array. */
    public static final int VERDICTS = 13;

    private static final String[] NAMES = {"OK", "TRUNCATED_L2", "UNSUPPORTED_ETHERTYPE", "TRUNCATED_L3",
        "BAD_IP_VERSION", "BAD_IHL", "BAD_TOTAL_LENGTH", "BAD_IP_CHECKSUM", "FRAGMENT", "UNSUPPORTED_PROTOCOL",
        "TRUNCATED_L4", "BAD_L4_HEADER", "BAD_L4_CHECKSUM"};
    /** Bound on skipped IPv6 extension headers, so a crafted chain cannot make the walk long. */
    private static final int MAX_EXTENSIONS = 4;

    private final boolean verifyL4Checksum;
    private final EthernetHeader eth = new EthernetHeader();
    private final ArpPacket arp = new ArpPacket();
    private final Ipv4Header ipv4 = new Ipv4Header();
    private final Ipv6Header ipv6 = new Ipv6Header();
    private final TcpHeader tcp = new TcpHeader();
    private final UdpHeader udp = new UdpHeader();
    private final IcmpHeader icmp = new IcmpHeader();
    private ByteBuffer buf;
    private int etherType;
    private int l3Offset;
    private int l4Offset;
    private int l4Length;
    private int protocol;

    /**
     * @param verifyL4Checksum verify TCP/UDP/ICMP checksums in software; false when the NIC already did
     *                         (receive checksum offload), as DPVS does
     */
    public PacketValidator(final boolean verifyL4Checksum) {
        this.verifyL4Checksum = verifyL4Checksum;
    }

    /** The constant name of a verdict code, for logs and metric labels; "UNKNOWN" outside the range. */
    public static String name(final int verdict) {
        return verdict >= 0 && verdict < VERDICTS ? NAMES[verdict] : "UNKNOWN";
    }

    /**
     * Classifies the frame of {@code length} bytes at {@code offset}. A length past the buffer's limit is
     * cut to it, so no read can go out of bounds.
     */
    public int validate(final ByteBuffer frame, final int offset, final int length) {
        buf = frame;
        etherType = -1;
        l3Offset = -1;
        l4Offset = -1;
        l4Length = 0;
        protocol = -1;
        if (offset < 0 || length < EthernetHeader.LENGTH || offset > frame.limit() - EthernetHeader.LENGTH) {
            return TRUNCATED_L2;
        }
        final int end = offset + Math.min(length, frame.limit() - offset);
        l3Offset = eth.wrap(frame, offset).l3Offset(end - offset);
        if (l3Offset < 0) {
            return TRUNCATED_L2;
        }
        etherType = eth.l3EtherType(l3Offset);
        switch (etherType) {
            case EthernetHeader.TYPE_IPV4:
                return ipv4(end - l3Offset);
            case EthernetHeader.TYPE_IPV6:
                return ipv6(end - l3Offset);
            case EthernetHeader.TYPE_ARP:
                if (end - l3Offset < ArpPacket.LENGTH) {
                    return TRUNCATED_L3;
                }
                return arp.wrap(frame, l3Offset).isEthernetIpv4() ? OK : UNSUPPORTED_PROTOCOL;
            default:
                return UNSUPPORTED_ETHERTYPE;
        }
    }

    private int ipv4(final int available) {
        if (available < Ipv4Header.MIN_LENGTH) {
            return TRUNCATED_L3;
        }
        final Ipv4Header ip = ipv4.wrap(buf, l3Offset);
        if (ip.version() != 4) {
            return BAD_IP_VERSION;
        }
        if (ip.ihl() < 5) {
            return BAD_IHL;
        }
        final int headerLength = ip.headerLength();
        if (headerLength > available) {
            return TRUNCATED_L3;
        }
        final int total = ip.totalLength();
        if (total < headerLength || total > available) {
            return BAD_TOTAL_LENGTH;
        }
        if (!ip.verifyChecksum()) {
            return BAD_IP_CHECKSUM;
        }
        if (ip.isFragment()) {
            return FRAGMENT;
        }
        protocol = ip.protocol();
        if (protocol != IpProtocol.TCP && protocol != IpProtocol.UDP && protocol != IpProtocol.ICMP) {
            return UNSUPPORTED_PROTOCOL;
        }
        l4Offset = l3Offset + headerLength;
        return l4(l3Offset + total, true);
    }

    private int ipv6(final int available) {
        if (available < Ipv6Header.LENGTH) {
            return TRUNCATED_L3;
        }
        final Ipv6Header ip = ipv6.wrap(buf, l3Offset);
        if (ip.version() != 6) {
            return BAD_IP_VERSION;
        }
        final int packetEnd = l3Offset + Ipv6Header.LENGTH + ip.payloadLength();
        if (packetEnd > l3Offset + available) {
            return BAD_TOTAL_LENGTH;
        }
        int next = ip.nextHeader();
        int at = l3Offset + Ipv6Header.LENGTH;
        for (int skipped = 0; Ipv6Header.isSkippableExtension(next); skipped++) {
            if (skipped == MAX_EXTENSIONS) {
                return UNSUPPORTED_PROTOCOL;
            }
            if (at + 2 > packetEnd || at + ip.extensionLength(at) > packetEnd) {
                return TRUNCATED_L3;
            }
            next = ip.extensionNextHeader(at);
            at += ip.extensionLength(at);
        }
        if (next == IpProtocol.FRAGMENT) {
            return FRAGMENT;
        }
        if (next != IpProtocol.TCP && next != IpProtocol.UDP && next != IpProtocol.ICMPV6) {
            return UNSUPPORTED_PROTOCOL;
        }
        protocol = next;
        l4Offset = at;
        return l4(packetEnd, false);
    }

    private int l4(final int packetEnd, final boolean v4) {
        l4Length = packetEnd - l4Offset;
        if (protocol == IpProtocol.TCP) {
            if (l4Length < TcpHeader.MIN_LENGTH) {
                return TRUNCATED_L4;
            }
            final int dataOffset = tcp.wrap(buf, l4Offset).dataOffset();
            if (dataOffset < 5) {
                return BAD_L4_HEADER;
            }
            if (dataOffset << 2 > l4Length) {
                return TRUNCATED_L4;
            }
        } else if (protocol == IpProtocol.UDP) {
            if (l4Length < UdpHeader.LENGTH) {
                return TRUNCATED_L4;
            }
            final int udpLength = udp.wrap(buf, l4Offset).length();
            if (udpLength < UdpHeader.LENGTH) {
                return BAD_L4_HEADER;
            }
            if (udpLength > l4Length) {
                return TRUNCATED_L4;
            }
            l4Length = udpLength;                       // bytes past the UDP length are trimmed, as the kernel does
        } else {
            if (l4Length < IcmpHeader.LENGTH) {
                return TRUNCATED_L4;
            }
            icmp.wrap(buf, l4Offset);
        }
        if (!verifyL4Checksum) {
            return v4 || protocol != IpProtocol.UDP || udp.hasChecksum() ? OK : BAD_L4_CHECKSUM;
        }
        final boolean valid = v4 ? Checksums.verifyV4(buf, l3Offset, l4Offset, l4Length)
                : Checksums.verifyV6(buf, l3Offset, l4Offset, l4Length, protocol);
        return valid ? OK : BAD_L4_CHECKSUM;
    }

    /** Innermost ethertype of the last frame, or -1 if it was not reached. */
    public int etherType() {
        return etherType;
    }

    /** Absolute offset of the L3 header (IP or ARP) of the last frame, or -1. */
    public int l3Offset() {
        return l3Offset;
    }

    /** Absolute offset of the L4 header of the last frame, or -1. */
    public int l4Offset() {
        return l4Offset;
    }

    /** L4 bytes per the IP (and UDP) length fields: the length the L4 checksum covers. */
    public int l4Length() {
        return l4Length;
    }

    /** IPv4 protocol or final IPv6 next header of the last frame, or -1 (ARP, or not reached). */
    public int protocol() {
        return protocol;
    }

    public EthernetHeader ethernet() {
        return eth;
    }

    /** Wrapped over the last frame when its ethertype was ARP. */
    public ArpPacket arp() {
        return arp;
    }

    /** Wrapped over the last frame when its ethertype was IPv4. */
    public Ipv4Header ipv4() {
        return ipv4;
    }

    /** Wrapped over the last frame when its ethertype was IPv6. */
    public Ipv6Header ipv6() {
        return ipv6;
    }

    /** Wrapped at {@link #l4Offset()} when the protocol is TCP and the header fits. */
    public TcpHeader tcp() {
        return tcp;
    }

    /** Wrapped at {@link #l4Offset()} when the protocol is UDP and the header fits. */
    public UdpHeader udp() {
        return udp;
    }

    /** Wrapped at {@link #l4Offset()} when the protocol is ICMP or ICMPv6 and the header fits. */
    public IcmpHeader icmp() {
        return icmp;
    }
}
