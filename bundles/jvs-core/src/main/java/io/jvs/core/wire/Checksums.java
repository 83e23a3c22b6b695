package io.jvs.core.wire;

import java.nio.ByteBuffer;

/**
 * Internet checksum arithmetic (RFC 1071) and its incremental update (RFC 1624), over a big-endian
 * {@link ByteBuffer} with absolute reads only. Static, allocation-free, never throws for in-range arguments.
 *
 * <p>Two kinds of value appear: a <em>sum</em> is the folded ones' complement sum of 16-bit words, in
 * {@code [0, 0xFFFF]}; a <em>checksum</em> is the complemented sum, as stored in a header field. Sums compose
 * by {@link #fold(long)} of their plain addition, so a pseudo-header sum is simply added to the payload sum.
 *
 * <p>The L4 checksum (TCP, UDP, ICMPv6) covers a pseudo-header; over IPv4:
 * <pre>
 *   0      7 8     15 16    23 24    31
 *  +--------+--------+--------+--------+
 *  |          source address           |
 *  +--------+--------+--------+--------+
 *  |        destination address        |
 *  +--------+--------+--------+--------+
 *  |  zero  |protocol|   L4 length     |
 *  +--------+--------+--------+--------+
 * </pre>
 * and over IPv6 (RFC 8200 section 8.1): source (128), destination (128), upper-layer length (32),
 * 24 zero bits, next header (8). ICMPv4 has no pseudo-header.
 *
 * <p>Incremental updates use RFC 1624 eqn. 3, {@code HC' = ~(~HC + ~m + m')}, which, unlike RFC 1141, never
 * turns a valid {@code 0x0000} into {@code 0xFFFF}: the result equals a full recompute bit for bit.
 */
public final class Checksums {
    /** Offset of the checksum field in a TCP header. */
    public static final int TCP_CHECKSUM_OFFSET = 16;
    /** Offset of the checksum field in a UDP header. */
    public static final int UDP_CHECKSUM_OFFSET = 6;
    /** Offset of the checksum field in an ICMP or ICMPv6 header. */
    public static final int ICMP_CHECKSUM_OFFSET = 2;

    private Checksums() {
    }

    /** Folds an accumulator of 16- or 32-bit words into a 16-bit ones' complement sum (end-around carry). */
    public static int fold(final long sum) {
        long s = (sum & 0xFFFF_FFFFL) + (sum >>> 32);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        return (int) ((s & 0xFFFF) + (s >>> 16));
    }

    /** Ones' complement sum of {@code length} bytes at {@code offset}, plus {@code initial}; an odd tail byte is padded with zero. */
    public static int sum(final ByteBuffer buf, final int offset, final int length, final int initial) {
        long acc = initial & 0xFFFF_FFFFL;
        final int end = offset + length;
        int i = offset;
        // 32-bit reads: a ones' complement sum of 32-bit words folds to the same 16-bit sum (RFC 1071 2(C)).
        for (; i + 4 <= end; i += 4) {
            acc += buf.getInt(i) & 0xFFFF_FFFFL;
        }
        if (i + 2 <= end) {
            acc += buf.getShort(i) & 0xFFFF;
            i += 2;
        }
        if (i < end) {
            acc += (buf.get(i) & 0xFF) << 8;
        }
        return fold(acc);
    }

    /** The checksum (complemented sum) of a range, e.g. an IPv4 header whose checksum field is zero. */
    public static int checksum(final ByteBuffer buf, final int offset, final int length) {
        return ~sum(buf, offset, length, 0) & 0xFFFF;
    }

    /** True if a range that includes its own checksum field sums to {@code 0xFFFF}. */
    public static boolean verify(final ByteBuffer buf, final int offset, final int length) {
        return sum(buf, offset, length, 0) == 0xFFFF;
    }

    /** Sum of the IPv4 pseudo-header. */
    public static int pseudoHeaderV4(final int src, final int dst, final int protocol, final int length) {
        return fold((src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + protocol + (long) length);
    }

    /** Sum of the IPv6 pseudo-header, addresses read from the IPv6 header at {@code ipOffset}. */
    public static int pseudoHeaderV6(final ByteBuffer buf, final int ipOffset, final int nextHeader, final int length) {
        return sum(buf, ipOffset + Ipv6Header.SRC_OFFSET, 32, nextHeader + length);
    }

    /** Sum of the IPv6 pseudo-header from addresses held as (high, low) longs. */
    public static int pseudoHeaderV6(final long srcHi, final long srcLo, final long dstHi, final long dstLo,
                                     final int nextHeader, final int length) {
        return fold(sum64(srcHi) + sum64(srcLo) + sum64(dstHi) + sum64(dstLo) + nextHeader + (long) length);
    }

    /** Offset of the checksum field inside the L4 header of {@code protocol}, or -1 if it has none we handle. */
    public static int checksumOffset(final int protocol) {
        switch (protocol) {
            case IpProtocol.TCP:
                return TCP_CHECKSUM_OFFSET;
            case IpProtocol.UDP:
                return UDP_CHECKSUM_OFFSET;
            case IpProtocol.ICMP:
            case IpProtocol.ICMPV6:
                return ICMP_CHECKSUM_OFFSET;
            default:
                return -1;
        }
    }

    /**
     * Full L4 checksum of a segment as if its checksum field were zero, without writing it. The field's
     * current value is subtracted rather than zeroed so the buffer is left untouched.
     *
     * @param pseudo pseudo-header sum (0 for ICMPv4)
     * @return the checksum as computed; a UDP caller substitutes {@code 0xFFFF} for 0 (see {@link #fill})
     */
    public static int compute(final ByteBuffer buf, final int l4Offset, final int length,
                              final int checkOffset, final int pseudo) {
        final int field = buf.getShort(l4Offset + checkOffset) & 0xFFFF;
        return ~fold((long) sum(buf, l4Offset, length, pseudo) + (~field & 0xFFFF)) & 0xFFFF;
    }

    /** Computes and stores the L4 checksum of {@code protocol}, writing {@code 0xFFFF} for a computed UDP 0 (RFC 768). */
    public static void fill(final ByteBuffer buf, final int l4Offset, final int length, final int protocol,
                            final int pseudo) {
        final int checkOffset = checksumOffset(protocol);
        final int check = compute(buf, l4Offset, length, checkOffset, pseudo);
        buf.putShort(l4Offset + checkOffset, (short) (check == 0 && protocol == IpProtocol.UDP ? 0xFFFF : check));
    }

    /** Fills the TCP, UDP or ICMP checksum of the IPv4 packet at {@code ipOffset}, L4 starting at {@code l4Offset}. */
    public static void fillV4(final ByteBuffer buf, final int ipOffset, final int l4Offset, final int length) {
        final int protocol = buf.get(ipOffset + Ipv4Header.PROTOCOL_OFFSET) & 0xFF;
        fill(buf, l4Offset, length, protocol, pseudoV4(buf, ipOffset, protocol, length));
    }

    /** Fills the L4 checksum of an IPv6 packet; {@code protocol} is the last next-header of the chain. */
    public static void fillV6(final ByteBuffer buf, final int ipOffset, final int l4Offset, final int length,
                              final int protocol) {
        fill(buf, l4Offset, length, protocol, pseudoHeaderV6(buf, ipOffset, protocol, length));
    }

    /** Verifies the TCP, UDP or ICMP checksum of an IPv4 packet; a zero UDP checksum means "none" and passes. */
    public static boolean verifyV4(final ByteBuffer buf, final int ipOffset, final int l4Offset, final int length) {
        final int protocol = buf.get(ipOffset + Ipv4Header.PROTOCOL_OFFSET) & 0xFF;
        if (protocol == IpProtocol.UDP && buf.getShort(l4Offset + UDP_CHECKSUM_OFFSET) == 0) {
            return true;
        }
        return sum(buf, l4Offset, length, pseudoV4(buf, ipOffset, protocol, length)) == 0xFFFF;
    }

    /** Verifies the L4 checksum of an IPv6 packet; a zero UDP checksum is invalid over IPv6 (RFC 8200 8.1). */
    public static boolean verifyV6(final ByteBuffer buf, final int ipOffset, final int l4Offset, final int length,
                                   final int protocol) {
        if (protocol == IpProtocol.UDP && buf.getShort(l4Offset + UDP_CHECKSUM_OFFSET) == 0) {
            return false;
        }
        return sum(buf, l4Offset, length, pseudoHeaderV6(buf, ipOffset, protocol, length)) == 0xFFFF;
    }

    /** RFC 1624 eqn. 3: the checksum after one 16-bit word covered by it changes from {@code oldValue} to {@code newValue}. */
    public static int replace16(final int check, final int oldValue, final int newValue) {
        return ~fold((~check & 0xFFFF) + (~oldValue & 0xFFFF) + (newValue & 0xFFFF)) & 0xFFFF;
    }

    /** RFC 1624 eqn. 3 for a 32-bit field (an IPv4 address, a TCP sequence number). */
    public static int replace32(final int check, final int oldValue, final int newValue) {
        return ~fold((~check & 0xFFFF) + (~oldValue >>> 16) + (~oldValue & 0xFFFF)
                + (newValue >>> 16) + (newValue & 0xFFFF)) & 0xFFFF;
    }

    /** RFC 1624 eqn. 3 for a 64-bit field (half an IPv6 address). */
    public static int replace64(final int check, final long oldValue, final long newValue) {
        return ~fold((~check & 0xFFFF) + sum64(~oldValue) + sum64(newValue)) & 0xFFFF;
    }

    /**
     * The L4 checksum after an address and a port change, or {@code check} untouched for a UDP-over-IPv4
     * datagram sent without a checksum (0); a UDP result of 0 becomes {@code 0xFFFF} (RFC 768).
     */
    static int replaceL4(final int check, final int protocol, final boolean v4, final long addressDelta,
                         final int oldPort, final int newPort) {
        if (protocol == IpProtocol.UDP && v4 && check == 0) {
            return 0;
        }
        final int updated = ~fold((~check & 0xFFFF) + addressDelta + (~oldPort & 0xFFFF) + (newPort & 0xFFFF)) & 0xFFFF;
        return updated == 0 && protocol == IpProtocol.UDP ? 0xFFFF : updated;
    }

    /** The unfolded {@code ~old + new} contribution of a 32-bit change, for {@link #replaceL4}. */
    static long delta32(final int oldValue, final int newValue) {
        return (~oldValue >>> 16) + (~oldValue & 0xFFFF) + (newValue >>> 16) + (newValue & 0xFFFF);
    }

    /** The unfolded {@code ~old + new} contribution of a 64-bit change, for {@link #replaceL4}. */
    static long delta64(final long oldValue, final long newValue) {
        return sum64(~oldValue) + sum64(newValue);
    }

    private static int pseudoV4(final ByteBuffer buf, final int ipOffset, final int protocol, final int length) {
        if (protocol == IpProtocol.ICMP) {
            return 0;
        }
        return pseudoHeaderV4(buf.getInt(ipOffset + Ipv4Header.SRC_OFFSET), buf.getInt(ipOffset + Ipv4Header.DST_OFFSET),
                protocol, length);
    }

    private static long sum64(final long v) {
        return (v >>> 48) + ((v >>> 32) & 0xFFFF) + ((v >>> 16) & 0xFFFF) + (v & 0xFFFF);
    }
}
