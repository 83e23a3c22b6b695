package io.jvs.core.wire;

import java.nio.ByteBuffer;

/**
 * NAT rewrites of an address and a port in place, keeping every checksum valid incrementally (RFC 1624):
 * the IPv4 header checksum covers the address; the TCP/UDP checksum covers the port and, through the
 * pseudo-header, the address too. IPv6 has no header checksum, so only the L4 checksum changes.
 *
 * <p>Special cases: a UDP-over-IPv4 datagram without a checksum (0) keeps 0; a UDP result of 0 is stored as
 * {@code 0xFFFF}. For ICMP the port is ignored (ICMPv4 does not cover addresses; for ICMPv6 the address
 * delta is still applied). Callers pass packets the {@link PacketValidator} accepted: no fragments, L4 header
 * present. Static and allocation-free.
 */
public final class NatRewrite {
    private NatRewrite() {
    }

    /** SNAT / outbound: source address and source port of an IPv4 packet. */
    public static void ipv4Src(final ByteBuffer buf, final int ipOffset, final int l4Offset,
                               final int newAddr, final int newPort) {
        ipv4(buf, ipOffset, Ipv4Header.SRC_OFFSET, l4Offset, 0, newAddr, newPort);
    }

    /** DNAT / inbound: destination address and destination port of an IPv4 packet. */
    public static void ipv4Dst(final ByteBuffer buf, final int ipOffset, final int l4Offset,
                               final int newAddr, final int newPort) {
        ipv4(buf, ipOffset, Ipv4Header.DST_OFFSET, l4Offset, 2, newAddr, newPort);
    }

    /** Source address and port of an IPv6 packet whose upper layer is {@code protocol} at {@code l4Offset}. */
    public static void ipv6Src(final ByteBuffer buf, final int ipOffset, final int l4Offset, final int protocol,
                               final long newHi, final long newLo, final int newPort) {
        ipv6(buf, ipOffset + Ipv6Header.SRC_OFFSET, l4Offset, protocol, 0, newHi, newLo, newPort);
    }

    /** Destination address and port of an IPv6 packet whose upper layer is {@code protocol} at {@code l4Offset}. */
    public static void ipv6Dst(final ByteBuffer buf, final int ipOffset, final int l4Offset, final int protocol,
                               final long newHi, final long newLo, final int newPort) {
        ipv6(buf, ipOffset + Ipv6Header.DST_OFFSET, l4Offset, protocol, 2, newHi, newLo, newPort);
    }

    private static void ipv4(final ByteBuffer buf, final int ip, final int addrField, final int l4,
                             final int portField, final int newAddr, final int newPort) {
        final int oldAddr = buf.getInt(ip + addrField);
        buf.putInt(ip + addrField, newAddr);
        final int ipCheck = buf.getShort(ip + Ipv4Header.CHECKSUM_OFFSET) & 0xFFFF;
        buf.putShort(ip + Ipv4Header.CHECKSUM_OFFSET, (short) Checksums.replace32(ipCheck, oldAddr, newAddr));
        final int protocol = buf.get(ip + Ipv4Header.PROTOCOL_OFFSET) & 0xFF;
        if (protocol == IpProtocol.TCP || protocol == IpProtocol.UDP) {
            l4(buf, l4, protocol, true, portField, Checksums.delta32(oldAddr, newAddr), newPort);
        }
    }

    private static void ipv6(final ByteBuffer buf, final int addrAt, final int l4, final int protocol,
                             final int portField, final long newHi, final long newLo, final int newPort) {
        final long delta = Checksums.delta64(buf.getLong(addrAt), newHi)
                + Checksums.delta64(buf.getLong(addrAt + 8), newLo);
        buf.putLong(addrAt, newHi);
        buf.putLong(addrAt + 8, newLo);
        if (protocol == IpProtocol.TCP || protocol == IpProtocol.UDP) {
            l4(buf, l4, protocol, false, portField, delta, newPort);
        } else if (protocol == IpProtocol.ICMPV6) {
            final int at = l4 + Checksums.ICMP_CHECKSUM_OFFSET;
            final int check = buf.getShort(at) & 0xFFFF;
            buf.putShort(at, (short) Checksums.replaceL4(check, protocol, false, delta, 0, 0));
        }
    }

    /** Writes the new port and the L4 checksum patched for both the address delta and the port. */
    private static void l4(final ByteBuffer buf, final int l4, final int protocol, final boolean v4,
                           final int portField, final long addressDelta, final int newPort) {
        final int oldPort = buf.getShort(l4 + portField) & 0xFFFF;
        buf.putShort(l4 + portField, (short) newPort);
        final int at = l4 + Checksums.checksumOffset(protocol);
        final int check = buf.getShort(at) & 0xFFFF;
        buf.putShort(at, (short) Checksums.replaceL4(check, protocol, v4, addressDelta, oldPort, newPort));
    }
}
