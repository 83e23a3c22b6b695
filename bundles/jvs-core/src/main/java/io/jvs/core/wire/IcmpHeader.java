package io.jvs.core.wire;

import java.nio.ByteBuffer;

/**
 * ICMP (RFC 792) or ICMPv6 (RFC 4443) header at an offset in a frame; both share the first 8 bytes.
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     Type      |     Code      |          Checksum             |  0
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     Identifier (echo)         |     Sequence Number (echo)    |  4
 *   |       unused / MTU / pointer (errors)                         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  echo: data ... | errors: original IP header + first 8 bytes  |  8
 * </pre>
 * The ICMPv4 checksum covers the message only; the ICMPv6 one adds the IPv6 pseudo-header.
 * IPVS relates errors to connections through the embedded header at {@link #embeddedOffset()}.
 */
public final class IcmpHeader {
    /** Length of the fixed part. */
    public static final int LENGTH = 8;
    public static final int ECHO_REPLY = 0;
    public static final int DEST_UNREACHABLE = 3;
    public static final int SOURCE_QUENCH = 4;
    public static final int REDIRECT = 5;
    public static final int ECHO_REQUEST = 8;
    public static final int TIME_EXCEEDED = 11;
    public static final int PARAMETER_PROBLEM = 12;
    public static final int V6_DEST_UNREACHABLE = 1;
    public static final int V6_PACKET_TOO_BIG = 2;
    public static final int V6_TIME_EXCEEDED = 3;
    public static final int V6_PARAMETER_PROBLEM = 4;
    public static final int V6_ECHO_REQUEST = 128;
    public static final int V6_ECHO_REPLY = 129;

    private ByteBuffer buf;
    private int base;

    /** Points this flyweight at the header starting at {@code offset}; returns this. */
    public IcmpHeader wrap(final ByteBuffer buffer, final int offset) {
        this.buf = Wire.bigEndian(buffer);
        this.base = offset;
        return this;
    }

    public int offset() {
        return base;
    }

    public int type() {
        return buf.get(base) & 0xFF;
    }

    public int code() {
        return buf.get(base + 1) & 0xFF;
    }

    public int checksum() {
        return buf.getShort(base + Checksums.ICMP_CHECKSUM_OFFSET) & 0xFFFF;
    }

    /** Echo identifier; meaningful for echo request/reply only. */
    public int echoId() {
        return buf.getShort(base + 4) & 0xFFFF;
    }

    /** Echo sequence number; meaningful for echo request/reply only. */
    public int echoSeq() {
        return buf.getShort(base + 6) & 0xFFFF;
    }

    /** True for the ICMPv4 errors that carry the offending datagram's header (RFC 792, RFC 1812 4.3.2.3). */
    public boolean isErrorV4() {
        final int type = type();
        return type == DEST_UNREACHABLE || type == SOURCE_QUENCH || type == REDIRECT
                || type == TIME_EXCEEDED || type == PARAMETER_PROBLEM;
    }

    /** True for ICMPv6 error messages (types 0-127, RFC 4443 2.1), which carry the invoking packet. */
    public boolean isErrorV6() {
        return type() < 128;
    }

    /** Absolute offset of the embedded original IP header of an error message: right after the fixed 8 bytes. */
    public int embeddedOffset() {
        return base + LENGTH;
    }

    /**
     * Echo request to reply in place (type 8 to 0, or 128 to 129), patching the checksum incrementally. The
     * caller swaps the IP addresses, which changes no checksum: ICMPv4 does not cover them and the ICMPv6
     * pseudo-header sum does not depend on their order.
     */
    public void echoToReply() {
        final int oldWord = buf.getShort(base) & 0xFFFF;
        final int newType = type() == V6_ECHO_REQUEST ? V6_ECHO_REPLY : ECHO_REPLY;
        final int newWord = newType << 8 | code();
        buf.putShort(base, (short) newWord);
        buf.putShort(base + Checksums.ICMP_CHECKSUM_OFFSET,
                (short) Checksums.replace16(checksum(), oldWord, newWord));
    }
}
