package io.jvs.core.wire;

import java.nio.ByteBuffer;

/**
 * IPv4 header (RFC 791) at an offset in a frame. Wraps, never copies; absolute big-endian access only.
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version|  IHL  |    DSCP/ECN   |          Total Length         |  0
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Identification        |0|D|M|     Fragment Offset     |  4
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Time to Live |    Protocol   |         Header Checksum       |  8
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                       Source Address                          | 12
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Destination Address                        | 16
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Options (IHL > 5)                          | 20
 * </pre>
 * Accessors assume the caller has checked {@link #fits(int)} (the {@link PacketValidator} does).
 */
public final class Ipv4Header {
    /** Length of a header without options. */
    public static final int MIN_LENGTH = 20;
    static final int TOTAL_LENGTH_OFFSET = 2;
    static final int FRAG_OFFSET = 6;
    static final int TTL_OFFSET = 8;
    static final int PROTOCOL_OFFSET = 9;
    static final int CHECKSUM_OFFSET = 10;
    static final int SRC_OFFSET = 12;
    static final int DST_OFFSET = 16;
    private static final int FLAG_DF = 0x4000;
    private static final int FLAG_MF = 0x2000;
    private static final int OFFSET_MASK = 0x1FFF;

    private ByteBuffer buf;
    private int base;

    /** Points this flyweight at the header starting at {@code offset}; returns this. */
    public Ipv4Header wrap(final ByteBuffer buffer, final int offset) {
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

    /** Header length in 32-bit words; 5 to 15 when valid. */
    public int ihl() {
        return buf.get(base) & 0x0F;
    }

    /** Header length in bytes, options included. */
    public int headerLength() {
        return ihl() << 2;
    }

    /**
     * Bounds check: true if {@code available} bytes from the header start hold a version-4 header with
     * IHL of at least 5 and all of its options. Reads only the first byte, and only if it is available.
     */
    public boolean fits(final int available) {
        if (available < MIN_LENGTH) {
            return false;
        }
        final int ihl = ihl();
        return version() == 4 && ihl >= 5 && ihl << 2 <= available;
    }

    public int dscpEcn() {
        return buf.get(base + 1) & 0xFF;
    }

    /** Length of header and payload in bytes; Ethernet padding beyond it is not part of the packet. */
    public int totalLength() {
        return buf.getShort(base + TOTAL_LENGTH_OFFSET) & 0xFFFF;
    }

    public int id() {
        return buf.getShort(base + 4) & 0xFFFF;
    }

    /** The 16-bit flags + fragment offset word. */
    public int flagsAndFragmentOffset() {
        return buf.getShort(base + FRAG_OFFSET) & 0xFFFF;
    }

    public boolean dontFragment() {
        return (flagsAndFragmentOffset() & FLAG_DF) != 0;
    }

    public boolean moreFragments() {
        return (flagsAndFragmentOffset() & FLAG_MF) != 0;
    }

    /** Fragment offset in 8-byte units. */
    public int fragmentOffset() {
        return flagsAndFragmentOffset() & OFFSET_MASK;
    }

    /** True for any fragment, first included: MF set or a non-zero offset. DF alone is not a fragment. */
    public boolean isFragment() {
        return (flagsAndFragmentOffset() & (FLAG_MF | OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return buf.get(base + TTL_OFFSET) & 0xFF;
    }

    /**
     * Decrements the TTL and patches the checksum (TTL and protocol share one 16-bit word). The caller checks
     * {@code ttl() > 1} first: expiry is an ICMP time-exceeded decision, not this flyweight's.
     */
    public void decrementTtl() {
        final int oldWord = buf.getShort(base + TTL_OFFSET) & 0xFFFF;
        final int newWord = oldWord - 0x0100;
        buf.putShort(base + TTL_OFFSET, (short) newWord);
        buf.putShort(base + CHECKSUM_OFFSET, (short) Checksums.replace16(checksum(), oldWord, newWord));
    }

    public int protocol() {
        return buf.get(base + PROTOCOL_OFFSET) & 0xFF;
    }

    public int checksum() {
        return buf.getShort(base + CHECKSUM_OFFSET) & 0xFFFF;
    }

    public int src() {
        return buf.getInt(base + SRC_OFFSET);
    }

    public int dst() {
        return buf.getInt(base + DST_OFFSET);
    }

    /** Payload (L4) length per the header: total length minus header length; negative if malformed. */
    public int payloadLength() {
        return totalLength() - headerLength();
    }

    /** True if the header, options included, sums to {@code 0xFFFF}. */
    public boolean verifyChecksum() {
        return Checksums.verify(buf, base, headerLength());
    }

    /** Full recompute of the header checksum; for packets we build, not for rewrites. */
    public void fillChecksum() {
        buf.putShort(base + CHECKSUM_OFFSET, (short) 0);
        buf.putShort(base + CHECKSUM_OFFSET, (short) Checksums.checksum(buf, base, headerLength()));
    }

    /**
     * Rewrites the source address, updating the header checksum incrementally (RFC 1624). The L4 checksum
     * is left alone: use {@link NatRewrite} when the pseudo-header must follow.
     */
    public void rewriteSrc(final int newSrc) {
        rewrite(SRC_OFFSET, newSrc);
    }

    /** Rewrites the destination address, updating the header checksum incrementally; see {@link #rewriteSrc}. */
    public void rewriteDst(final int newDst) {
        rewrite(DST_OFFSET, newDst);
    }

    private void rewrite(final int field, final int newAddr) {
        final int oldAddr = buf.getInt(base + field);
        buf.putInt(base + field, newAddr);
        buf.putShort(base + CHECKSUM_OFFSET, (short) Checksums.replace32(checksum(), oldAddr, newAddr));
    }
}
