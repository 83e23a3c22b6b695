package io.jvs.core.wire;

import java.nio.ByteBuffer;

/**
 * UDP header (RFC 768) at an offset in a frame.
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Source Port          |       Destination Port        |  0
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |            Length             |           Checksum            |  4
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Checksum rules: over IPv4 a transmitted 0 means "no checksum" and a computed 0 is sent as {@code 0xFFFF}
 * (RFC 768); over IPv6 the checksum is mandatory and 0 is invalid (RFC 8200 section 8.1).
 */
public final class UdpHeader {
    /** Length of the header. */
    public static final int LENGTH = 8;

    private ByteBuffer buf;
    private int base;

    /** Points this flyweight at the header starting at {@code offset}; returns this. */
    public UdpHeader wrap(final ByteBuffer buffer, final int offset) {
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

    /** Header plus data, in bytes. */
    public int length() {
        return buf.getShort(base + 4) & 0xFFFF;
    }

    public int checksum() {
        return buf.getShort(base + Checksums.UDP_CHECKSUM_OFFSET) & 0xFFFF;
    }

    /** False only for an IPv4 datagram sent without a checksum (field 0). */
    public boolean hasChecksum() {
        return checksum() != 0;
    }

    /** Stores a computed checksum, substituting {@code 0xFFFF} for 0 so it is not read as "none". */
    public void setComputedChecksum(final int check) {
        buf.putShort(base + Checksums.UDP_CHECKSUM_OFFSET, (short) (check == 0 ? 0xFFFF : check));
    }

    /** Clears the checksum to "none"; legal over IPv4 only. */
    public void clearChecksum() {
        buf.putShort(base + Checksums.UDP_CHECKSUM_OFFSET, (short) 0);
    }
}
