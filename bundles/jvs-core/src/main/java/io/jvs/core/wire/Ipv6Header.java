package io.jvs.core.wire;

import java.nio.ByteBuffer;

/**
 * IPv6 fixed header (RFC 8200) at an offset in a frame. Addresses are two longs each, high 64 bits first,
 * so the hot path never builds an {@code InetAddress} or a {@code byte[]}.
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version| Traffic Class |              Flow Label               |  0
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Payload Length        |  Next Header  |   Hop Limit   |  4
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                Source Address (128 bits)                      |  8
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |             Destination Address (128 bits)                    | 24
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * There is no header checksum; address changes reach only the L4 checksum ({@link NatRewrite}).
 * Extension headers follow the generic layout {@code next header (8) | length in 8-octet units
 * beyond the first 8 (8) | data}; {@link #extensionLength(int)} reads it.
 */
public final class Ipv6Header {
    /** Length of the fixed header. */
    public static final int LENGTH = 40;
    static final int PAYLOAD_LENGTH_OFFSET = 4;
    static final int NEXT_HEADER_OFFSET = 6;
    static final int HOP_LIMIT_OFFSET = 7;
    static final int SRC_OFFSET = 8;
    static final int DST_OFFSET = 24;

    private ByteBuffer buf;
    private int base;

    /** Points this flyweight at the header starting at {@code offset}; returns this. */
    public Ipv6Header wrap(final ByteBuffer buffer, final int offset) {
        this.buf = Wire.bigEndian(buffer);
        this.base = offset;
        return this;
    }

    public int offset() {
        return base;
    }

    public int version() {
        return (buf.get(base) & 0xF0) >>> 4;
    }

    public int trafficClass() {
        return (buf.getShort(base) >>> 4) & 0xFF;
    }

    public int flowLabel() {
        return buf.getInt(base) & 0x000F_FFFF;
    }

    /** Bytes after the fixed header, extension headers included. */
    public int payloadLength() {
        return buf.getShort(base + PAYLOAD_LENGTH_OFFSET) & 0xFFFF;
    }

    public void setPayloadLength(final int length) {
        buf.putShort(base + PAYLOAD_LENGTH_OFFSET, (short) length);
    }

    public int nextHeader() {
        return buf.get(base + NEXT_HEADER_OFFSET) & 0xFF;
    }

    public int hopLimit() {
        return buf.get(base + HOP_LIMIT_OFFSET) & 0xFF;
    }

    public void setHopLimit(final int hopLimit) {
        buf.put(base + HOP_LIMIT_OFFSET, (byte) hopLimit);
    }

    public long srcHi() {
        return buf.getLong(base + SRC_OFFSET);
    }

    public long srcLo() {
        return buf.getLong(base + SRC_OFFSET + 8);
    }

    public long dstHi() {
        return buf.getLong(base + DST_OFFSET);
    }

    public long dstLo() {
        return buf.getLong(base + DST_OFFSET + 8);
    }

    /** Writes the source address; checksums are the caller's (see {@link NatRewrite}). */
    public void setSrc(final long hi, final long lo) {
        buf.putLong(base + SRC_OFFSET, hi);
        buf.putLong(base + SRC_OFFSET + 8, lo);
    }

    /** Writes the destination address; checksums are the caller's (see {@link NatRewrite}). */
    public void setDst(final long hi, final long lo) {
        buf.putLong(base + DST_OFFSET, hi);
        buf.putLong(base + DST_OFFSET + 8, lo);
    }

    /** Pseudo-header sum for an upper layer of {@code protocol} and {@code length} bytes. */
    public int pseudoHeaderSum(final int protocol, final int length) {
        return Checksums.pseudoHeaderV6(buf, base, protocol, length);
    }

    /** True for the extension headers with the generic (next, length) layout that a receiver may skip. */
    public static boolean isSkippableExtension(final int nextHeader) {
        return nextHeader == IpProtocol.HOPOPTS || nextHeader == IpProtocol.ROUTING
                || nextHeader == IpProtocol.DSTOPTS;
    }

    /** Length in bytes of the generic extension header at absolute {@code offset}: (Hdr Ext Len + 1) * 8. */
    public int extensionLength(final int offset) {
        return ((buf.get(offset + 1) & 0xFF) + 1) << 3;
    }

    /** Next-header field of the extension header at absolute {@code offset}. */
    public int extensionNextHeader(final int offset) {
        return buf.get(offset) & 0xFF;
    }
}
