package io.jvs.core.wire;

import java.nio.ByteBuffer;
import java.util.Random;

/** Random but valid TCP/UDP frames over IPv4 (with options) or IPv6 (sometimes behind hop-by-hop), checksums filled. */
final class RandomPackets {
    private RandomPackets() {
    }

    static ByteBuffer build(final Random random, final boolean v4, final int protocol, final boolean noUdpChecksum) {
        final int ipHeader = v4 ? 20 + 4 * random.nextInt(3) : 40 + (random.nextBoolean() ? 8 : 0);
        final int l4Header = protocol == IpProtocol.TCP ? 20 + 4 * random.nextInt(4) : 8;
        final int payload = 2 + random.nextInt(64);
        final int l4Length = l4Header + payload;
        final int ip = 14;
        final int l4 = ip + ipHeader;
        final ByteBuffer buf = ByteBuffer.allocate(Math.max(60, l4 + l4Length));
        for (int i = 0; i < buf.limit(); i++) {
            buf.put(i, (byte) random.nextInt());
        }
        buf.putShort(12, (short) (v4 ? EthernetHeader.TYPE_IPV4 : EthernetHeader.TYPE_IPV6));
        if (v4) {
            buf.put(ip, (byte) (0x40 | ipHeader / 4));
            buf.putShort(ip + 2, (short) (ipHeader + l4Length));
            buf.putShort(ip + 6, (short) (random.nextBoolean() ? 0x4000 : 0));   // DF or nothing, never a fragment
            buf.put(ip + 9, (byte) protocol);
        } else {
            buf.put(ip, (byte) (0x60 | buf.get(ip) & 0x0F));
            buf.putShort(ip + 4, (short) (ipHeader - 40 + l4Length));
            buf.put(ip + 6, (byte) (ipHeader > 40 ? IpProtocol.HOPOPTS : protocol));
            if (ipHeader > 40) {
                buf.put(ip + 40, (byte) protocol);
                buf.put(ip + 41, (byte) 0);                                        // 8 bytes; options are opaque
            }
        }
        if (protocol == IpProtocol.TCP) {
            buf.put(l4 + 12, (byte) (l4Header / 4 << 4));
            for (int i = l4 + 20; i < l4 + l4Header; i++) {
                buf.put(i, (byte) TcpHeader.OPT_NOP);
            }
        } else {
            buf.putShort(l4 + 4, (short) l4Length);
        }
        if (v4) {
            new Ipv4Header().wrap(buf, ip).fillChecksum();
        }
        buf.putShort(l4 + Checksums.checksumOffset(protocol), (short) 0);
        if (!noUdpChecksum) {
            fill(buf, ip, l4, l4Length, v4, protocol);
        }
        return buf;
    }

    /** Recomputes every checksum of a frame the validator has just parsed (or one laid out identically). */
    static void fill(final ByteBuffer buf, final PacketValidator parsed, final boolean v4, final boolean noUdpChecksum) {
        if (v4) {
            new Ipv4Header().wrap(buf, parsed.l3Offset()).fillChecksum();
        }
        if (!noUdpChecksum) {
            fill(buf, parsed.l3Offset(), parsed.l4Offset(), parsed.l4Length(), v4, parsed.protocol());
        }
    }

    private static void fill(final ByteBuffer buf, final int ip, final int l4, final int length, final boolean v4,
                             final int protocol) {
        if (v4) {
            Checksums.fillV4(buf, ip, l4, length);
        } else {
            Checksums.fillV6(buf, ip, l4, length, protocol);
        }
    }
}
