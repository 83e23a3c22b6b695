package io.jvs.core.dataplane;

import io.jvs.core.wire.Checksums;
import java.nio.ByteBuffer;

/** Builds valid Ethernet/IPv4 test frames (checksums filled) and reads fields back. */
final class TestFrames {
    static final int TCP = 6;
    static final int UDP = 17;
    static final int SYN = 0x02;
    static final int ACK = 0x10;
    static final int FIN = 0x01;
    static final int RST = 0x04;

    private TestFrames() {
    }

    static int ip(final String dotted) {
        final String[] p = dotted.split("\\.");
        return Integer.parseInt(p[0]) << 24 | Integer.parseInt(p[1]) << 16 | Integer.parseInt(p[2]) << 8
                | Integer.parseInt(p[3]);
    }

    static byte[] tcp(final long dstMac, final long srcMac, final int saddr, final int sport, final int daddr,
                      final int dport, final int flags, final int payload) {
        final int l4 = 20 + payload;
        final ByteBuffer b = ipv4(dstMac, srcMac, saddr, daddr, TCP, l4);
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

    static byte[] udp(final long dstMac, final long srcMac, final int saddr, final int sport, final int daddr,
                      final int dport, final int payload) {
        final int l4 = 8 + payload;
        final ByteBuffer b = ipv4(dstMac, srcMac, saddr, daddr, UDP, l4);
        b.putShort(34, (short) sport);
        b.putShort(36, (short) dport);
        b.putShort(38, (short) l4);
        Checksums.fillV4(b, 14, 34, l4);
        return b.array();
    }

    static byte[] ping(final long dstMac, final long srcMac, final int saddr, final int daddr) {
        final ByteBuffer b = ipv4(dstMac, srcMac, saddr, daddr, 1, 16);
        b.put(34, (byte) 8);
        b.putShort(38, (short) 77);
        b.putShort(40, (short) 1);
        b.putShort(36, (short) Checksums.checksum(b, 34, 16));
        return b.array();
    }

    static byte[] arpRequest(final long srcMac, final int senderIp, final int targetIp) {
        final ByteBuffer b = ByteBuffer.allocate(60);
        Frames.arpRequest(b, 0, srcMac, senderIp, targetIp);
        return b.array();
    }

    static byte[] arpReply(final long dstMac, final long srcMac, final int senderIp, final int targetIp) {
        final ByteBuffer b = ByteBuffer.wrap(arpRequest(srcMac, senderIp, targetIp));
        Frames.putMac(b, 0, dstMac);
        b.putShort(20, (short) 2);
        Frames.putMac(b, 32, dstMac);
        return b.array();
    }

    private static ByteBuffer ipv4(final long dstMac, final long srcMac, final int saddr, final int daddr,
                                   final int protocol, final int l4) {
        final ByteBuffer b = ByteBuffer.allocate(Math.max(60, 34 + l4));
        Frames.putMac(b, 0, dstMac);
        Frames.putMac(b, 6, srcMac);
        b.putShort(12, (short) 0x0800);
        b.putShort(14, (short) 0x4500);
        b.putShort(16, (short) (20 + l4));
        b.putShort(20, (short) 0x4000);
        b.put(22, (byte) 64);
        b.put(23, (byte) protocol);
        b.putInt(26, saddr);
        b.putInt(30, daddr);
        b.putShort(24, (short) Checksums.checksum(b, 14, 20));
        return b;
    }

    static long dstMac(final byte[] f) {
        return Frames.getMac(ByteBuffer.wrap(f), 0);
    }

    static long srcMac(final byte[] f) {
        return Frames.getMac(ByteBuffer.wrap(f), 6);
    }

    static int etherType(final byte[] f) {
        return ByteBuffer.wrap(f).getShort(12) & 0xFFFF;
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

    static int ttl(final byte[] f) {
        return f[22] & 0xFF;
    }

    /** Whether the IPv4 header and the TCP/UDP/ICMP checksums of a frame verify. */
    static boolean checksumsValid(final byte[] f) {
        final ByteBuffer b = ByteBuffer.wrap(f);
        final int total = b.getShort(16) & 0xFFFF;
        return Checksums.verify(b, 14, 20) && Checksums.verifyV4(b, 14, 34, total - 20);
    }
}
