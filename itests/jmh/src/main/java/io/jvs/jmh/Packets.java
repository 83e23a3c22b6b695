package io.jvs.jmh;

import io.jvs.core.wire.Checksums;
import java.nio.ByteBuffer;

/**
 * Valid Ethernet/IPv4/TCP frames (checksums filled) for the benchmarks; a copy of the frame builders of the core's
 * test fixture {@code io.jvs.core.dataplane.TestFrames}, which benchmarks cannot depend on. Setup only: allocates.
 */
final class Packets {
    static final int TCP = 6;
    static final int SYN = 0x02;
    static final int ACK = 0x10;

    private Packets() {
    }

    static int ip(final String dotted) {
        final String[] p = dotted.split("\\.");
        return Integer.parseInt(p[0]) << 24 | Integer.parseInt(p[1]) << 16 | Integer.parseInt(p[2]) << 8
                | Integer.parseInt(p[3]);
    }

    /** A TCP segment with {@code payload} bytes of data, from {@code saddr:sport} to {@code daddr:dport}. */
    static byte[] tcp(final long dstMac, final long srcMac, final int saddr, final int sport, final int daddr,
                      final int dport, final int flags, final int payload) {
        final int l4 = 20 + payload;
        final ByteBuffer b = ByteBuffer.allocate(Math.max(60, 34 + l4));
        putMac(b, 0, dstMac);
        putMac(b, 6, srcMac);
        b.putShort(12, (short) 0x0800);
        b.putShort(14, (short) 0x4500);
        b.putShort(16, (short) (20 + l4));
        b.putShort(20, (short) 0x4000);
        b.put(22, (byte) 64);
        b.put(23, (byte) TCP);
        b.putInt(26, saddr);
        b.putInt(30, daddr);
        b.putShort(24, (short) Checksums.checksum(b, 14, 20));
        b.putShort(34, (short) sport);
        b.putShort(36, (short) dport);
        b.putInt(38, 1000);
        b.putInt(42, (flags & ACK) != 0 ? 2000 : 0);
        b.putShort(46, (short) (5 << 12 | flags));
        b.putShort(48, (short) 65535);
        for (int i = 0; i < payload; i++) {
            b.put(54 + i, (byte) ('a' + i % 26));
        }
        Checksums.fillV4(b, 14, 34, l4);
        return b.array();
    }

    static void putMac(final ByteBuffer b, final int at, final long mac) {
        b.putShort(at, (short) (mac >>> 32));
        b.putInt(at + 2, (int) mac);
    }
}
