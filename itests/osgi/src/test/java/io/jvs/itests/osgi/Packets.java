package io.jvs.itests.osgi;

import java.nio.ByteBuffer;

/**
 * Ethernet/IPv4/TCP frames with valid checksums (the core verifies them), and the fields read back. Written
 * here, not borrowed from the core's test sources or its unexported {@code wire} package, so the test does not
 * check the core with the core's own arithmetic.
 */
final class Packets {
    static final int SYN = 0x02;
    static final int ACK = 0x10;
    private static final int LENGTH = 14 + 20 + 20;

    private Packets() {
    }

    static byte[] tcp(final long dstMac, final long srcMac, final int saddr, final int sport, final int daddr,
                      final int dport, final int flags) {
        final ByteBuffer b = ByteBuffer.allocate(60);   // minimum Ethernet frame; the IP length says 40
        putMac(b, 0, dstMac);
        putMac(b, 6, srcMac);
        b.putShort(12, (short) 0x0800);
        b.putShort(14, (short) 0x4500);
        b.putShort(16, (short) 40);
        b.putShort(20, (short) 0x4000);
        b.put(22, (byte) 64);
        b.put(23, (byte) 6);
        b.putInt(26, saddr);
        b.putInt(30, daddr);
        b.putShort(24, (short) ~sum(b, 14, 20, 0));
        b.putShort(34, (short) sport);
        b.putShort(36, (short) dport);
        b.putInt(38, 1000);
        b.putInt(42, (flags & ACK) != 0 ? 2000 : 0);
        b.putShort(46, (short) (5 << 12 | flags));
        b.putShort(48, (short) 65535);
        final int pseudo = (saddr >>> 16) + (saddr & 0xFFFF) + (daddr >>> 16) + (daddr & 0xFFFF) + 6 + 20;
        b.putShort(50, (short) ~sum(b, 34, 20, pseudo));
        return b.array();
    }

    /** One's-complement sum of {@code length} bytes (even) plus {@code initial}, folded to 16 bits. */
    private static int sum(final ByteBuffer b, final int offset, final int length, final int initial) {
        long s = initial;
        for (int i = offset; i < offset + length; i += 2) {
            s += b.getShort(i) & 0xFFFF;
        }
        while (s >>> 16 != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    private static void putMac(final ByteBuffer b, final int at, final long mac) {
        b.putShort(at, (short) (mac >>> 32));
        b.putInt(at + 2, (int) mac);
    }

    static long dstMac(final byte[] f) {
        final ByteBuffer b = ByteBuffer.wrap(f);
        return (b.getShort(0) & 0xFFFFL) << 32 | b.getInt(2) & 0xFFFF_FFFFL;
    }

    static int saddr(final byte[] f) {
        return ByteBuffer.wrap(f).getInt(26);
    }

    static int daddr(final byte[] f) {
        return ByteBuffer.wrap(f).getInt(30);
    }

    static int sport(final byte[] f) {
        return ByteBuffer.wrap(f).getShort(34) & 0xFFFF;
    }

    static int dport(final byte[] f) {
        return ByteBuffer.wrap(f).getShort(36) & 0xFFFF;
    }

    /** Whether the IPv4 header and TCP checksums of a 40-byte TCP/IPv4 frame verify. */
    static boolean checksumsValid(final byte[] f) {
        if (f.length < LENGTH) {
            return false;
        }
        final ByteBuffer b = ByteBuffer.wrap(f);
        final int s = b.getInt(26);
        final int d = b.getInt(30);
        final int pseudo = (s >>> 16) + (s & 0xFFFF) + (d >>> 16) + (d & 0xFFFF) + 6 + 20;
        return sum(b, 14, 20, 0) == 0xFFFF && sum(b, 34, 20, pseudo) == 0xFFFF;
    }

    static int ip(final String dotted) {
        final String[] p = dotted.split("\\.");
        return Integer.parseInt(p[0]) << 24 | Integer.parseInt(p[1]) << 16 | Integer.parseInt(p[2]) << 8
                | Integer.parseInt(p[3]);
    }

    static String dotted(final int a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xFF) + "." + (a >>> 8 & 0xFF) + "." + (a & 0xFF);
    }
}
