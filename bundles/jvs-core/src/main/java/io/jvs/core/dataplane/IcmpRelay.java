package io.jvs.core.dataplane;

import io.jvs.core.wire.Checksums;
import io.jvs.core.wire.IpProtocol;
import java.nio.ByteBuffer;

/**
 * ICMP errors that belong to a connection ({@code ip_vs_in_icmp}, {@code ip_vs_out_icmp}): reads the quoted
 * packet's addresses and ports, and for NAT rewrites the quoted header the way the connection rewrites its
 * packets, so the host that receives the error recognises its own packet. The ICMP checksum is recomputed
 * whole: errors are rare and their payload is short.
 */
final class IcmpRelay {
    int protocol;
    int src;
    int dst;
    int sport;
    int dport;
    private int inner;
    private int innerL4;

    /**
     * Parses the packet quoted by the ICMP error whose message starts at {@code icmp} and whose IP datagram ends
     * at {@code end}. False when the quote is too short or not TCP/UDP over IPv4.
     */
    boolean parse(final ByteBuffer b, final int icmp, final int end) {
        inner = icmp + 8;
        if (inner + 20 > end || (b.get(inner) & 0xF0) != 0x40) {
            return false;
        }
        final int ihl = (b.get(inner) & 0x0F) * 4;
        innerL4 = inner + ihl;
        protocol = b.get(inner + 9) & 0xFF;
        if (ihl < 20 || innerL4 + 8 > end || (protocol != IpProtocol.TCP && protocol != IpProtocol.UDP)) {
            return false;
        }
        src = b.getInt(inner + 12);
        dst = b.getInt(inner + 16);
        sport = b.getShort(innerL4) & 0xFFFF;
        dport = b.getShort(innerL4 + 2) & 0xFFFF;
        return true;
    }

    /** Rewrites the quoted source (address, port) and patches the quoted IP checksum. */
    void rewriteQuotedSource(final ByteBuffer b, final int addr, final int port) {
        rewrite(b, 12, 0, addr, port);
    }

    /** Rewrites the quoted destination (address, port) and patches the quoted IP checksum. */
    void rewriteQuotedDestination(final ByteBuffer b, final int addr, final int port) {
        rewrite(b, 16, 2, addr, port);
    }

    private void rewrite(final ByteBuffer b, final int addrField, final int portField, final int addr,
                         final int port) {
        final int old = b.getInt(inner + addrField);
        b.putInt(inner + addrField, addr);
        final int check = b.getShort(inner + 10) & 0xFFFF;
        b.putShort(inner + 10, (short) Checksums.replace32(check, old, addr));
        b.putShort(innerL4 + portField, (short) port);
    }

    /** Recomputes the checksum of the ICMP message {@code [icmp, end)}. */
    static void fillChecksum(final ByteBuffer b, final int icmp, final int end) {
        b.putShort(icmp + 2, (short) 0);
        b.putShort(icmp + 2, (short) Checksums.checksum(b, icmp, end - icmp));
    }
}
