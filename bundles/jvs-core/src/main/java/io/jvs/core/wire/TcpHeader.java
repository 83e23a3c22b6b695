package io.jvs.core.wire;

import java.nio.ByteBuffer;

/**
 * TCP header (RFC 9293) at an offset in a frame.
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Source Port          |       Destination Port        |  0
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                        Sequence Number                        |  4
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Acknowledgment Number                      |  8
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Data |       |C|E|U|A|P|R|S|F|                               |
 *   | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             | 12
 *   |       |       |R|E|G|K|H|T|N|N|                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           Checksum            |         Urgent Pointer        | 16
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                 Options (data offset > 5)                     | 20
 * </pre>
 * Options are {@code kind (8) | length (8) | data}, except EOL (0) and NOP (1), which are one byte.
 * Option walking is cursor based ({@link #firstOption()}, {@link #nextOption(int)}) so it allocates nothing;
 * it stops at EOL, at the header end, or at a malformed length, never reading past {@link #headerLength()}.
 */
public final class TcpHeader {
    /** Length of a header without options. */
    public static final int MIN_LENGTH = 20;
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int OPT_EOL = 0;
    public static final int OPT_NOP = 1;
    public static final int OPT_MSS = 2;
    public static final int OPT_WSCALE = 3;
    public static final int OPT_SACK_PERMITTED = 4;
    public static final int OPT_TIMESTAMP = 8;
    private static final int SEQ_OFFSET = 4;
    private static final int ACK_OFFSET = 8;
    private static final int FLAGS_OFFSET = 13;

    private ByteBuffer buf;
    private int base;

    /** Points this flyweight at the header starting at {@code offset}; returns this. */
    public TcpHeader wrap(final ByteBuffer buffer, final int offset) {
        this.buf = Wire.bigEndian(buffer);
        this.base = offset;
        return this;
    }

    public int offset() {
        return base;
    }

    public int srcPort() {
        return buf.getShort(base) & 0xFFFF;
    }

    public int dstPort() {
        return buf.getShort(base + 2) & 0xFFFF;
    }

    public int seq() {
        return buf.getInt(base + SEQ_OFFSET);
    }

    public int ack() {
        return buf.getInt(base + ACK_OFFSET);
    }

    /** Data offset in 32-bit words; 5 to 15 when valid. */
    public int dataOffset() {
        return (buf.get(base + 12) & 0xF0) >>> 4;
    }

    public int headerLength() {
        return dataOffset() << 2;
    }

    /** The eight flag bits (CWR..FIN); test with the flag constants. */
    public int flags() {
        return buf.get(base + FLAGS_OFFSET) & 0xFF;
    }

    public boolean isSyn() {
        return (flags() & SYN) != 0;
    }

    public boolean isAck() {
        return (flags() & ACK) != 0;
    }

    public boolean isFin() {
        return (flags() & FIN) != 0;
    }

    public boolean isRst() {
        return (flags() & RST) != 0;
    }

    public boolean isPsh() {
        return (flags() & PSH) != 0;
    }

    public int window() {
        return buf.getShort(base + 14) & 0xFFFF;
    }

    public int checksum() {
        return buf.getShort(base + Checksums.TCP_CHECKSUM_OFFSET) & 0xFFFF;
    }

    public int urgentPointer() {
        return buf.getShort(base + 18) & 0xFFFF;
    }

    /** Rewrites the sequence number (FNAT/synproxy seq adjust), patching the checksum incrementally. */
    public void rewriteSeq(final int newSeq) {
        rewrite32(SEQ_OFFSET, newSeq);
    }

    /** Rewrites the acknowledgment number, patching the checksum incrementally. */
    public void rewriteAck(final int newAck) {
        rewrite32(ACK_OFFSET, newAck);
    }

    /** Absolute offset of the first option, or -1 if the header has none. */
    public int firstOption() {
        return validOption(base + MIN_LENGTH);
    }

    /** Absolute offset of the option after the one at {@code at}, or -1 at the end or on a malformed option. */
    public int nextOption(final int at) {
        return validOption(at + optionLength(at));
    }

    public int optionKind(final int at) {
        return buf.get(at) & 0xFF;
    }

    /** Total length of the option at {@code at}, kind and length bytes included; 1 for EOL and NOP. */
    public int optionLength(final int at) {
        final int kind = optionKind(at);
        return kind == OPT_EOL || kind == OPT_NOP ? 1 : buf.get(at + 1) & 0xFF;
    }

    /** Absolute offset of the first option of {@code kind}, or -1 if absent. */
    public int findOption(final int kind) {
        for (int at = firstOption(); at >= 0; at = nextOption(at)) {
            if (optionKind(at) == kind) {
                return at;
            }
        }
        return -1;
    }

    /** The MSS option value, or -1 if absent. */
    public int mss() {
        final int at = findOption(OPT_MSS);
        return at >= 0 && optionLength(at) == 4 ? buf.getShort(at + 2) & 0xFFFF : -1;
    }

    /** {@code at} if a whole option starts there inside the header and is not EOL; otherwise -1. */
    private int validOption(final int at) {
        final int end = base + headerLength();
        if (at >= end || optionKind(at) == OPT_EOL) {
            return -1;
        }
        final int kind = optionKind(at);
        if (kind == OPT_NOP) {
            return at;
        }
        if (at + 2 > end) {
            return -1;
        }
        final int length = buf.get(at + 1) & 0xFF;
        return length >= 2 && at + length <= end ? at : -1;
    }

    private void rewrite32(final int field, final int newValue) {
        final int oldValue = buf.getInt(base + field);
        buf.putInt(base + field, newValue);
        buf.putShort(base + Checksums.TCP_CHECKSUM_OFFSET, (short) Checksums.replace32(checksum(), oldValue, newValue));
    }
}
