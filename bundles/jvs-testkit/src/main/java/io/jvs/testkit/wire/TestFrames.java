package io.jvs.testkit.wire;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Valid Ethernet/IPv4 test frames (TCP, UDP, ICMP echo, ARP; every checksum filled) and their fields read back.
 * The checksum arithmetic (RFC 1071) is written here, not borrowed from the core, so a test never checks the core
 * with the core's own arithmetic. Setup only: every method allocates.
 *
 * <p>IPv4 frames have a 20-byte IP header (DF set, TTL 64) and are padded to the 60-byte Ethernet minimum; a TCP
 * segment has a 20-byte header, sequence number 1000, acknowledgement 2000 when ACK is set (else 0), window 65535
 * and {@code payload} bytes of {@code 'a'..'z'}.
 */
public final class TestFrames {
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int ACK = 0x10;

    private static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    /** Minimum Ethernet frame without FCS: shorter frames are padded with zeros up to it. */
    private static final int MIN_FRAME = 60;
    private static final int IP = 14;
    private static final int L4 = IP + 20;

    private TestFrames() {
    }

    // ---------------------------------------------------------------- addresses

    /** An IPv4 address from its dotted quad. */
    public static int ip(final String dotted) {
        final String[] p = dotted.split("\\.");
        return Integer.parseInt(p[0]) << 24 | Integer.parseInt(p[1]) << 16 | Integer.parseInt(p[2]) << 8
                | Integer.parseInt(p[3]);
    }

    public static InetAddress inet(final int a) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
        } catch (final UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- frames

    /** A TCP segment with {@code payload} bytes of data, from {@code saddr:sport} to {@code daddr:dport}. */
    public static byte[] tcp(final long dstMac, final long srcMac, final int saddr, final int sport, final int daddr,
                             final int dport, final int flags, final int payload) {
        final int l4 = 20 + payload;
        final ByteBuffer b = ipv4(dstMac, srcMac, saddr, daddr, TCP, l4);
        b.putShort(L4, (short) sport);
        b.putShort(L4 + 2, (short) dport);
        b.putInt(L4 + 4, 1000);
        b.putInt(L4 + 8, (flags & ACK) != 0 ? 2000 : 0);
        b.putShort(L4 + 12, (short) (5 << 12 | flags));
        b.putShort(L4 + 14, (short) 65535);
        for (int i = 0; i < payload; i++) {
            b.put(L4 + 20 + i, (byte) ('a' + i % 26));
        }
        b.putShort(L4 + 16, (short) l4Checksum(b, TCP, l4));
        return b.array();
    }

    /** A UDP datagram with {@code payload} zero bytes of data. */
    public static byte[] udp(final long dstMac, final long srcMac, final int saddr, final int sport, final int daddr,
                             final int dport, final int payload) {
        final int l4 = 8 + payload;
        final ByteBuffer b = ipv4(dstMac, srcMac, saddr, daddr, UDP, l4);
        b.putShort(L4, (short) sport);
        b.putShort(L4 + 2, (short) dport);
        b.putShort(L4 + 4, (short) l4);
        final int check = l4Checksum(b, UDP, l4);
        b.putShort(L4 + 6, (short) (check == 0 ? 0xFFFF : check));   // 0 means "no checksum" (RFC 768)
        return b.array();
    }

    /** An ICMP echo request, identifier 77, sequence 1, 12 zero bytes of data. */
    public static byte[] ping(final long dstMac, final long srcMac, final int saddr, final int daddr) {
        final ByteBuffer b = ipv4(dstMac, srcMac, saddr, daddr, ICMP, 16);
        b.put(L4, (byte) 8);
        b.putShort(L4 + 4, (short) 77);
        b.putShort(L4 + 6, (short) 1);
        b.putShort(L4 + 2, (short) l4Checksum(b, ICMP, 16));
        return b.array();
    }

    /** A broadcast ARP request "who has {@code targetIp}? tell {@code senderIp}", padded to 60 bytes. */
    public static byte[] arpRequest(final long srcMac, final int senderIp, final int targetIp) {
        final ByteBuffer b = ByteBuffer.allocate(MIN_FRAME);
        putMac(b, 0, BROADCAST);
        putMac(b, 6, srcMac);
        b.putShort(12, (short) 0x0806);
        b.putShort(14, (short) 1);           // hardware type Ethernet
        b.putShort(16, (short) 0x0800);      // protocol type IPv4
        b.put(18, (byte) 6);
        b.put(19, (byte) 4);
        b.putShort(20, (short) 1);           // request
        putMac(b, 22, srcMac);
        b.putInt(28, senderIp);
        b.putInt(38, targetIp);              // target MAC (32) unknown: zero
        return b.array();
    }

    /** The ARP reply "{@code senderIp} is at {@code srcMac}" to {@code dstMac} (who asked for it from {@code targetIp}). */
    public static byte[] arpReply(final long dstMac, final long srcMac, final int senderIp, final int targetIp) {
        final ByteBuffer b = ByteBuffer.wrap(arpRequest(srcMac, senderIp, targetIp));
        putMac(b, 0, dstMac);
        b.putShort(20, (short) 2);
        putMac(b, 32, dstMac);
        return b.array();
    }

    private static ByteBuffer ipv4(final long dstMac, final long srcMac, final int saddr, final int daddr,
                                   final int protocol, final int l4) {
        final ByteBuffer b = ByteBuffer.allocate(Math.max(MIN_FRAME, L4 + l4));
        putMac(b, 0, dstMac);
        putMac(b, 6, srcMac);
        b.putShort(12, (short) 0x0800);
        b.putShort(IP, (short) 0x4500);
        b.putShort(IP + 2, (short) (20 + l4));
        b.putShort(IP + 6, (short) 0x4000);
        b.put(IP + 8, (byte) 64);
        b.put(IP + 9, (byte) protocol);
        b.putInt(IP + 12, saddr);
        b.putInt(IP + 16, daddr);
        b.putShort(IP + 10, (short) (~sum(b, IP, 20, 0) & 0xFFFF));
        return b;
    }

    private static void putMac(final ByteBuffer b, final int at, final long mac) {
        b.putShort(at, (short) (mac >>> 32));
        b.putInt(at + 2, (int) mac);
    }

    // ---------------------------------------------------------------- fields read back (IPv4, 20-byte IP header)

    public static long dstMac(final byte[] f) {
        return mac(f, 0);
    }

    public static long srcMac(final byte[] f) {
        return mac(f, 6);
    }

    private static long mac(final byte[] f, final int at) {
        final ByteBuffer b = ByteBuffer.wrap(f);
        return (b.getShort(at) & 0xFFFFL) << 32 | b.getInt(at + 2) & 0xFFFF_FFFFL;
    }

    public static int etherType(final byte[] f) {
        return ByteBuffer.wrap(f).getShort(12) & 0xFFFF;
    }

    public static int saddr(final byte[] f) {
        return ByteBuffer.wrap(f).getInt(IP + 12);
    }

    public static int daddr(final byte[] f) {
        return ByteBuffer.wrap(f).getInt(IP + 16);
    }

    public static int sport(final byte[] f) {
        return ByteBuffer.wrap(f).getShort(L4) & 0xFFFF;
    }

    public static int dport(final byte[] f) {
        return ByteBuffer.wrap(f).getShort(L4 + 2) & 0xFFFF;
    }

    public static int ttl(final byte[] f) {
        return f[IP + 8] & 0xFF;
    }

    /** The same frame with the IPv4 header's DF bit cleared (the header checksum made good again). */
    public static byte[] withoutDontFragment(final byte[] f) {
        final byte[] out = f.clone();
        final ByteBuffer b = ByteBuffer.wrap(out);
        b.putShort(IP + 6, (short) (b.getShort(IP + 6) & ~0x4000));
        return withIpChecksum(out);
    }

    /** The same frame with TTL {@code ttl} (the header checksum made good again). */
    public static byte[] withTtl(final byte[] f, final int ttl) {
        final byte[] out = f.clone();
        out[IP + 8] = (byte) ttl;
        return withIpChecksum(out);
    }

    /** Fills in the IPv4 header checksum of {@code f} (changed in place); returns {@code f}. */
    public static byte[] withIpChecksum(final byte[] f) {
        final ByteBuffer b = ByteBuffer.wrap(f);
        b.putShort(IP + 10, (short) 0);
        b.putShort(IP + 10, (short) (~sum(b, IP, (f[IP] & 0x0F) * 4, 0) & 0xFFFF));
        return f;
    }

    /** Whether the IPv4 header checksum of a frame verifies (a fragment's L4 checksum cannot be checked alone). */
    public static boolean ipChecksumValid(final byte[] f) {
        return f.length >= L4 && sum(ByteBuffer.wrap(f), IP, (f[IP] & 0x0F) * 4, 0) == 0xFFFF;
    }

    /**
     * Whether the IPv4 header checksum and the L4 checksum (TCP or UDP with the pseudo-header, ICMP without; a
     * zero UDP checksum means "none" and passes) of a frame verify; false for a frame too short for its headers.
     */
    public static boolean checksumsValid(final byte[] f) {
        if (f.length < L4) {
            return false;
        }
        final ByteBuffer b = ByteBuffer.wrap(f);
        final int l4 = (b.getShort(IP + 2) & 0xFFFF) - 20;
        if (l4 < 0 || L4 + l4 > f.length) {
            return false;
        }
        final int protocol = f[IP + 9] & 0xFF;
        final boolean noUdpChecksum = protocol == UDP && b.getShort(L4 + 6) == 0;
        return sum(b, IP, 20, 0) == 0xFFFF && (noUdpChecksum || sum(b, L4, l4, pseudo(b, protocol, l4)) == 0xFFFF);
    }

    // ---------------------------------------------------------------- RFC 1071

    /** The L4 checksum of the IPv4 frame in {@code b}, its checksum field still zero. */
    private static int l4Checksum(final ByteBuffer b, final int protocol, final int length) {
        return ~sum(b, L4, length, pseudo(b, protocol, length)) & 0xFFFF;
    }

    /** The IPv4 pseudo-header's contribution (none for ICMP), unfolded. */
    private static long pseudo(final ByteBuffer b, final int protocol, final int length) {
        if (protocol == ICMP) {
            return 0;
        }
        final int s = b.getInt(IP + 12);
        final int d = b.getInt(IP + 16);
        return (s >>> 16) + (s & 0xFFFF) + (d >>> 16) + (d & 0xFFFF) + protocol + length;
    }

    /** Ones' complement sum of {@code length} bytes plus {@code initial}, folded to 16 bits; an odd tail byte is padded with zero. */
    private static int sum(final ByteBuffer b, final int offset, final int length, final long initial) {
        long s = initial;
        int i = offset;
        for (; i + 1 < offset + length; i += 2) {
            s += b.getShort(i) & 0xFFFF;
        }
        if (i < offset + length) {
            s += (b.get(i) & 0xFF) << 8;
        }
        while (s >>> 16 != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }
}
