package io.jvs.core.wire;

import java.nio.ByteBuffer;

/**
 * Cuts an IPv4 packet into fragments that fit an MTU (RFC 791), as the kernel's {@code ip_do_fragment} does on
 * the way out of a director: every fragment carries the same header length, with the options not marked "copied"
 * overwritten by NOPs after the first ({@code ip_options_fragment}); data is cut at multiples of 8 bytes; the
 * identification and TTL are kept; MF is set on all but the last (or on all, when the packet was itself a
 * non-final fragment). DF is cleared, as {@code ip_frag_next} does unless told to keep it ({@code IPSKB_FRAG_PMTU}).
 * Stateless and allocation-free: fragment {@code i} is written on request.
 */
public final class Ipv4Fragmenter {
    /** The smallest MTU every IPv4 link must carry (RFC 791): a 60-byte header and 8 bytes of data. */
    public static final int MIN_MTU = 68;
    private static final int OPT_END = 0;
    private static final int OPT_NOP = 1;
    private static final int OPT_COPIED = 0x80;

    private Ipv4Fragmenter() {
    }

    /**
     * How many fragments the packet at {@code ip} takes for {@code mtu}, or 0 when it cannot be cut for it (an
     * MTU that does not hold the header and 8 bytes of data).
     */
    public static int count(final ByteBuffer frame, final int ip, final int mtu) {
        final int ihl = (frame.get(ip) & 0x0F) * 4;
        final int chunk = (mtu - ihl) & ~7;
        if (chunk <= 0) {
            return 0;
        }
        final int data = (frame.getShort(ip + 2) & 0xFFFF) - ihl;
        return (data + chunk - 1) / chunk;
    }

    /**
     * Writes fragment {@code i} (of {@link #count}) of the packet in {@code frame} (Ethernet header at
     * {@code at}, IPv4 header at {@code ip}) into {@code out} at {@code o}, Ethernet header included; returns the
     * frame's length.
     */
    public static int write(final ByteBuffer frame, final int at, final int ip, final int mtu, final int i,
                            final ByteBuffer out, final int o) {
        final int ihl = (frame.get(ip) & 0x0F) * 4;
        final int total = frame.getShort(ip + 2) & 0xFFFF;
        final int chunk = (mtu - ihl) & ~7;
        final int from = i * chunk;
        final int length = Math.min(chunk, total - ihl - from);
        final int l2 = ip - at;
        out.put(o, frame, at, l2 + ihl);
        final int oip = o + l2;
        if (i > 0) {
            stripUncopiedOptions(out, oip + Ipv4Header.MIN_LENGTH, oip + ihl);
        }
        out.put(oip + ihl, frame, ip + ihl + from, length);
        final int flags = frame.getShort(ip + Ipv4Header.FRAG_OFFSET) & 0xFFFF;
        final boolean last = from + length >= total - ihl;
        int fragment = (flags & 0x1FFF) + from / 8;
        if (!last || (flags & 0x2000) != 0) {
            fragment |= 0x2000;
        }
        out.putShort(oip + Ipv4Header.TOTAL_LENGTH_OFFSET, (short) (ihl + length));
        out.putShort(oip + Ipv4Header.FRAG_OFFSET, (short) fragment);
        out.putShort(oip + Ipv4Header.CHECKSUM_OFFSET, (short) 0);
        out.putShort(oip + Ipv4Header.CHECKSUM_OFFSET, (short) Checksums.checksum(out, oip, ihl));
        return l2 + ihl + length;
    }

    /** Options without the "copied" flag belong to the first fragment only: NOPs in the others. */
    private static void stripUncopiedOptions(final ByteBuffer b, final int from, final int end) {
        int p = from;
        while (p < end) {
            final int type = b.get(p) & 0xFF;
            if (type == OPT_END) {
                return;
            }
            if (type == OPT_NOP) {
                p++;
                continue;
            }
            final int len = p + 1 < end ? b.get(p + 1) & 0xFF : 0;
            final int stop = len < 2 || p + len > end ? end : p + len;
            if ((type & OPT_COPIED) == 0) {
                for (int k = p; k < stop; k++) {
                    b.put(k, (byte) OPT_NOP);
                }
            }
            p = stop;
        }
    }
}
