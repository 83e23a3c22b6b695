package io.jvs.core.wire;

import java.nio.ByteBuffer;

/**
 * Ethernet II header at an offset in a frame, with up to two 802.1Q / 802.1ad tags. MAC addresses are the
 * low 48 bits of a long ({@code 0x0000_aabb_ccdd_eeff} for aa:bb:cc:dd:ee:ff).
 * <pre>
 *   0                6                12       14       16       18       20       22
 *  +----------------+----------------+--------+--------+--------+--------+--------+
 *  |  destination   |     source     |  type  |  payload ...                       untagged
 *  +----------------+----------------+--------+--------+--------+--------+--------+
 *  |  destination   |     source     | 0x8100 |PCP|D|VID| type |  payload ...     802.1Q
 *  +----------------+----------------+--------+--------+--------+--------+--------+
 *  |  destination   |     source     | 0x88a8 |  S-TCI | 0x8100 |  C-TCI |  type | QinQ
 *  +----------------+----------------+--------+--------+--------+--------+--------+
 *   TCI = priority (3) | drop eligible (1) | VLAN id (12)
 * </pre>
 */
public final class EthernetHeader {
    /** Length of an untagged header. */
    public static final int LENGTH = 14;
    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_IPV6 = 0x86DD;
    public static final int TYPE_VLAN = 0x8100;
    public static final int TYPE_QINQ = 0x88A8;
    private static final int TYPE_OFFSET = 12;
    private static final int TAG_LENGTH = 4;
    private static final int MAX_TAGS = 2;

    private ByteBuffer buf;
    private int base;

    /** Points this flyweight at the frame starting at {@code offset}; returns this. */
    public EthernetHeader wrap(final ByteBuffer buffer, final int offset) {
        this.buf = Wire.bigEndian(buffer);
        this.base = offset;
        return this;
    }

    public int offset() {
        return base;
    }

    public long dstMac() {
        return readMac(base);
    }

    public long srcMac() {
        return readMac(base + 6);
    }

    public void setDstMac(final long mac) {
        writeMac(base, mac);
    }

    public void setSrcMac(final long mac) {
        writeMac(base + 6, mac);
    }

    /** Outermost ethertype (the TPID when tagged). */
    public int etherType() {
        return buf.getShort(base + TYPE_OFFSET) & 0xFFFF;
    }

    public boolean isTagged() {
        return isTag(etherType());
    }

    /** VLAN id of the outermost tag, or -1 if untagged. */
    public int vlanId() {
        return isTagged() ? buf.getShort(base + TYPE_OFFSET + 2) & 0x0FFF : -1;
    }

    /**
     * Absolute offset of the L3 header, past at most two VLAN tags, or -1 if the header and its tags do not
     * fit in {@code frameLength} bytes or there are more than two tags. Never reads past the frame.
     */
    public int l3Offset(final int frameLength) {
        int typeAt = TYPE_OFFSET;
        for (int tags = 0; ; tags++) {
            if (typeAt + 2 > frameLength) {
                return -1;
            }
            if (!isTag(buf.getShort(base + typeAt) & 0xFFFF)) {
                return base + typeAt + 2;
            }
            if (tags == MAX_TAGS) {
                return -1;
            }
            typeAt += TAG_LENGTH;
        }
    }

    /** Ethertype of the payload at {@code l3Offset} (an {@link #l3Offset(int)} result): the innermost type. */
    public int l3EtherType(final int l3Offset) {
        return buf.getShort(l3Offset - 2) & 0xFFFF;
    }

    /** Swaps source and destination MACs, the first step of any reply built in place. */
    public void swapMacs() {
        final long dst = dstMac();
        setDstMac(srcMac());
        setSrcMac(dst);
    }

    private static boolean isTag(final int type) {
        return type == TYPE_VLAN || type == TYPE_QINQ;
    }

    private long readMac(final int at) {
        return ((buf.getShort(at) & 0xFFFFL) << 32) | (buf.getInt(at + 2) & 0xFFFF_FFFFL);
    }

    private void writeMac(final int at, final long mac) {
        buf.putShort(at, (short) (mac >>> 32));
        buf.putInt(at + 2, (int) mac);
    }
}
