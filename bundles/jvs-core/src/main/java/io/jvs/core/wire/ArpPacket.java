package io.jvs.core.wire;

import java.nio.ByteBuffer;

/**
 * ARP for IPv4 over Ethernet (RFC 826) at an offset in a frame; the director answers for its VIPs.
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     Hardware type (1)         |     Protocol type (0x0800)    |  0
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  HLEN (6)     |  PLEN (4)     |  Operation (1 req, 2 reply)   |  4
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |              Sender hardware address (bytes 0-3)              |  8
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |   Sender hw addr (4-5)        |   Sender IP address (0-1)     | 12
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |   Sender IP address (2-3)     |   Target hw addr (0-1)        | 16
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |              Target hardware address (bytes 2-5)              | 20
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                   Target protocol address                     | 24
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ArpPacket {
    /** Length of an IPv4-over-Ethernet ARP packet. */
    public static final int LENGTH = 28;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;
    private static final int HW_ETHERNET = 1;
    private static final int OP_OFFSET = 6;
    private static final int SHA_OFFSET = 8;
    private static final int SPA_OFFSET = 14;
    private static final int THA_OFFSET = 18;
    private static final int TPA_OFFSET = 24;

    private ByteBuffer buf;
    private int base;

    /** Points this flyweight at the ARP packet starting at {@code offset}; returns this. */
    public ArpPacket wrap(final ByteBuffer buffer, final int offset) {
        this.buf = Wire.bigEndian(buffer);
        this.base = offset;
        return this;
    }

    public int offset() {
        return base;
    }

    /** True for Ethernet hardware, IPv4 protocol, 6-byte and 4-byte address lengths: the only kind we parse. */
    public boolean isEthernetIpv4() {
        return (buf.getShort(base) & 0xFFFF) == HW_ETHERNET
                && (buf.getShort(base + 2) & 0xFFFF) == EthernetHeader.TYPE_IPV4
                && (buf.getShort(base + 4) & 0xFFFF) == 0x0604;
    }

    public int op() {
        return buf.getShort(base + OP_OFFSET) & 0xFFFF;
    }

    public long senderMac() {
        return mac(base + SHA_OFFSET);
    }

    public int senderIp() {
        return buf.getInt(base + SPA_OFFSET);
    }

    public long targetMac() {
        return mac(base + THA_OFFSET);
    }

    public int targetIp() {
        return buf.getInt(base + TPA_OFFSET);
    }

    /** True for a gratuitous ARP (sender IP equals target IP), which updates caches and asks nothing. */
    public boolean isGratuitous() {
        return senderIp() == targetIp();
    }

    /**
     * Turns a request into the reply in place: the requester becomes the target and {@code ourMac}, with the
     * asked-for IP, becomes the sender. The Ethernet header is the caller's: {@code eth.swapMacs();
     * eth.setSrcMac(ourMac)}. Frame length is unchanged.
     */
    public void toReply(final long ourMac) {
        final long requesterMac = senderMac();
        final int requesterIp = senderIp();
        final int askedIp = targetIp();
        buf.putShort(base + OP_OFFSET, (short) OP_REPLY);
        putMac(base + SHA_OFFSET, ourMac);
        buf.putInt(base + SPA_OFFSET, askedIp);
        putMac(base + THA_OFFSET, requesterMac);
        buf.putInt(base + TPA_OFFSET, requesterIp);
    }

    private long mac(final int at) {
        return ((buf.getShort(at) & 0xFFFFL) << 32) | (buf.getInt(at + 2) & 0xFFFF_FFFFL);
    }

    private void putMac(final int at, final long mac) {
        buf.putShort(at, (short) (mac >>> 32));
        buf.putInt(at + 2, (int) mac);
    }
}
