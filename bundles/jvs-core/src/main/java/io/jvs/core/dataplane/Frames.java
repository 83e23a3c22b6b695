package io.jvs.core.dataplane;

import io.jvs.core.wire.Checksums;
import java.nio.ByteBuffer;

/**
 * Frames the director makes up itself: ARP requests and announcements, and the ICMP errors it sends (port
 * unreachable, fragmentation needed, time exceeded).
 */
final class Frames {
    static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    /** Minimum Ethernet frame without FCS: ARP is padded up to it. */
    static final int MIN_FRAME = 60;
    private static final int UNREACHABLE = 3;
    private static final int TIME_EXCEEDED = 11;
    private static final int PORT_UNREACHABLE = 3;
    private static final int FRAGMENTATION_NEEDED = 4;

    private Frames() {
    }

    /** An ARP request "who has {@code targetIp}, tell {@code senderIp}"; returns the frame length. */
    static int arpRequest(final ByteBuffer b, final int at, final long senderMac, final int senderIp,
                          final int targetIp) {
        putMac(b, at, BROADCAST);
        putMac(b, at + 6, senderMac);
        b.putShort(at + 12, (short) 0x0806);
        b.putShort(at + 14, (short) 1);
        b.putShort(at + 16, (short) 0x0800);
        b.put(at + 18, (byte) 6);
        b.put(at + 19, (byte) 4);
        b.putShort(at + 20, (short) 1);
        putMac(b, at + 22, senderMac);
        b.putInt(at + 28, senderIp);
        putMac(b, at + 32, 0);
        b.putInt(at + 38, targetIp);
        for (int i = 42; i < MIN_FRAME; i++) {
            b.put(at + i, (byte) 0);
        }
        return MIN_FRAME;
    }

    /** A gratuitous ARP announcing that {@code ip} is at {@code mac} (a request for itself, RFC 5227). */
    static int gratuitousArp(final ByteBuffer b, final int at, final long mac, final int ip) {
        return arpRequest(b, at, mac, ip, ip);
    }

    /**
     * Turns the IPv4 packet of the frame at {@code at} (Ethernet + IP header at {@code ip}) into an ICMP
     * destination-unreachable/port-unreachable back to its sender, from the address it was sent to, in
     * {@code out}. Returns the frame length.
     */
    static int portUnreachable(final ByteBuffer in, final int at, final int ip, final int ipTotal,
                               final ByteBuffer out, final int o, final long ourMac) {
        return icmpError(in, at, ip, ipTotal, out, o, ourMac, in.getInt(ip + 16), UNREACHABLE, PORT_UNREACHABLE, 0);
    }

    /**
     * An ICMP destination-unreachable/fragmentation-needed (RFC 1191) back to the sender of the IPv4 packet at
     * {@code ip}, from {@code source}, announcing {@code mtu}. Returns the frame length.
     */
    static int fragmentationNeeded(final ByteBuffer in, final int at, final int ip, final int ipTotal,
                                   final ByteBuffer out, final int o, final long ourMac, final int source,
                                   final int mtu) {
        return icmpError(in, at, ip, ipTotal, out, o, ourMac, source, UNREACHABLE, FRAGMENTATION_NEEDED, mtu);
    }

    /** An ICMP time-exceeded/TTL-exceeded back to the sender of the IPv4 packet at {@code ip}, from {@code source}. */
    static int timeExceeded(final ByteBuffer in, final int at, final int ip, final int ipTotal, final ByteBuffer out,
                            final int o, final long ourMac, final int source) {
        return icmpError(in, at, ip, ipTotal, out, o, ourMac, source, TIME_EXCEEDED, 0, 0);
    }

    /** Quotes the offending packet's header and first 8 bytes of data (RFC 792), as much as peers read. */
    private static int icmpError(final ByteBuffer in, final int at, final int ip, final int ipTotal,
                                 final ByteBuffer out, final int o, final long ourMac, final int source,
                                 final int type, final int code, final int mtu) {
        final int ihl = (in.get(ip) & 0x0F) * 4;
        final int quoted = Math.min(ipTotal, ihl + 8);
        putMac(out, o, getMac(in, at + 6));
        putMac(out, o + 6, ourMac);
        out.putShort(o + 12, (short) 0x0800);
        final int oip = o + 14;
        final int total = 20 + 8 + quoted;
        out.putShort(oip, (short) 0x4500);
        out.putShort(oip + 2, (short) total);
        out.putInt(oip + 4, 0);
        out.putShort(oip + 8, (short) (64 << 8 | 1));
        out.putShort(oip + 10, (short) 0);
        out.putInt(oip + 12, source);
        out.putInt(oip + 16, in.getInt(ip + 12));
        out.putShort(oip + 10, (short) Checksums.checksum(out, oip, 20));
        final int icmp = oip + 20;
        out.putShort(icmp, (short) (type << 8 | code));
        out.putShort(icmp + 2, (short) 0);
        out.putShort(icmp + 4, (short) 0);
        out.putShort(icmp + 6, (short) mtu);
        out.put(icmp + 8, in, ip, quoted);
        out.putShort(icmp + 2, (short) Checksums.checksum(out, icmp, 8 + quoted));
        return Math.max(MIN_FRAME, 14 + total);
    }

    static void putMac(final ByteBuffer b, final int at, final long mac) {
        b.putShort(at, (short) (mac >>> 32));
        b.putInt(at + 2, (int) mac);
    }

    static long getMac(final ByteBuffer b, final int at) {
        return (b.getShort(at) & 0xFFFFL) << 32 | (b.getInt(at + 2) & 0xFFFF_FFFFL);
    }
}
