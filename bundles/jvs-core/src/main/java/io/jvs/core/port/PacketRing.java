package io.jvs.core.port;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.jvs.core.os.LibC;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One AF_PACKET socket with a memory-mapped TPACKET_V2 ring (receive or transmit) bound to an interface.
 *
 * <p>TPACKET_V2, not V3, on purpose: V3 hands a block to user space only when it is full or its timer fires
 * (4 ms at HZ=250), which is milliseconds of latency at low rates; V2 hands over every frame as it lands.
 * Each frame slot starts with a {@code tpacket2_hdr} whose status word passes ownership between the kernel
 * and us, read with acquire and written with release semantics; everything else is plain memory access.
 */
final class PacketRing implements AutoCloseable {
    static final int SOL_PACKET = 263;
    static final int PACKET_RX_RING = 5;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_VERSION = 10;
    static final int PACKET_TX_RING = 13;
    static final int PACKET_LOSS = 14;
    static final int PACKET_FANOUT = 18;
    static final int PACKET_QDISC_BYPASS = 20;
    static final int PACKET_IGNORE_OUTGOING = 23;
    static final int TPACKET_V2 = 1;
    static final int ETH_P_ALL = 0x0003;
    static final int PACKET_FANOUT_HASH = 0;
    static final int PACKET_FANOUT_CPU = 2;

    static final int TP_STATUS_KERNEL = 0;
    static final int TP_STATUS_USER = 1;
    static final int TP_STATUS_COPY = 2;
    static final int TP_STATUS_AVAILABLE = 0;
    static final int TP_STATUS_SEND_REQUEST = 1;
    static final int TP_STATUS_SENDING = 2;
    static final int TP_STATUS_WRONG_FORMAT = 4;

    /** tpacket2_hdr fields. */
    static final int H_STATUS = 0;
    static final int H_LEN = 4;
    static final int H_SNAPLEN = 8;
    static final int H_MAC = 12;
    /** Where transmit data starts in a slot: TPACKET2_HDRLEN - sizeof(struct sockaddr_ll). */
    static final int TX_DATA = 32;

    private static final VarHandle STATUS =
            MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    final int fd;
    final int frameSize;
    final int frames;
    /** The mapping in host (little-endian) order for the slot headers. */
    final ByteBuffer headers;
    /** The same mapping big-endian, for frame contents. */
    final ByteBuffer data;
    private final Pointer map;
    private final long mapLength;

    private PacketRing(final int fd, final int frameSize, final int frames, final Pointer map, final long mapLength) {
        this.fd = fd;
        this.frameSize = frameSize;
        this.frames = frames;
        this.map = map;
        this.mapLength = mapLength;
        this.headers = map.getByteBuffer(0, mapLength).order(ByteOrder.LITTLE_ENDIAN);
        this.data = map.getByteBuffer(0, mapLength).order(ByteOrder.BIG_ENDIAN);
    }

    /**
     * A receive ring on {@code ifIndex}. With {@code fanoutGroup >= 0} the socket joins that PACKET_FANOUT group,
     * in hash mode (both halves of a flow reach the same worker on one interface) or, with {@code byCpu}, in CPU
     * mode (a frame goes to member {@code cpu % members}, where {@code cpu} received it).
     */
    static PacketRing receive(final int ifIndex, final int frames, final int fanoutGroup, final boolean byCpu) {
        final int fd = LibC.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, 0);
        try {
            setInt(fd, PACKET_VERSION, TPACKET_V2);
            // Frames we (or the kernel) send out of this interface are not ours to balance.
            setInt(fd, PACKET_IGNORE_OUTGOING, 1);
            final PacketRing ring = map(fd, PACKET_RX_RING, frames);
            bind(fd, ifIndex, ETH_P_ALL);
            if (fanoutGroup >= 0) {
                final int mode = byCpu ? PACKET_FANOUT_CPU : PACKET_FANOUT_HASH;
                setInt(fd, PACKET_FANOUT, (mode << 16) | (fanoutGroup & 0xFFFF));
            }
            return ring;
        } catch (final RuntimeException e) {
            LibC.closeQuietly(fd);
            throw e;
        }
    }

    /** A transmit ring on {@code ifIndex}, bypassing the qdisc layer; the socket receives nothing (protocol 0). */
    static PacketRing transmit(final int ifIndex, final int frames) {
        final int fd = LibC.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, 0);
        try {
            setInt(fd, PACKET_VERSION, TPACKET_V2);
            setInt(fd, PACKET_QDISC_BYPASS, 1);
            // A frame the kernel refuses (longer than the device's MTU) is skipped, not left as WRONG_FORMAT:
            // without PACKET_LOSS the ring's head stops at it and nothing behind it leaves for a whole lap.
            setInt(fd, PACKET_LOSS, 1);
            final PacketRing ring = map(fd, PACKET_TX_RING, frames);
            bind(fd, ifIndex, 0);
            return ring;
        } catch (final RuntimeException e) {
            LibC.closeQuietly(fd);
            throw e;
        }
    }

    private static PacketRing map(final int fd, final int option, final int frames) {
        final int frameSize = 2048;
        final int blockSize = 1 << 16;
        final int framesPerBlock = blockSize / frameSize;
        final int blocks = Math.max(1, (frames + framesPerBlock - 1) / framesPerBlock);
        final Memory req = new Memory(16);
        req.setInt(0, blockSize);
        req.setInt(4, blocks);
        req.setInt(8, frameSize);
        req.setInt(12, blocks * framesPerBlock);
        LibC.setsockopt(fd, SOL_PACKET, option, req, 16);
        final long length = (long) blockSize * blocks;
        final Pointer map = LibC.mmap(null, length, LibC.PROT_READ | LibC.PROT_WRITE,
                LibC.MAP_SHARED | LibC.MAP_POPULATE, fd, 0);
        return new PacketRing(fd, frameSize, blocks * framesPerBlock, map, length);
    }

    static void setInt(final int fd, final int option, final int value) {
        final Memory v = new Memory(4);
        v.setInt(0, value);
        LibC.setsockopt(fd, SOL_PACKET, option, v, 4);
    }

    private static void bind(final int fd, final int ifIndex, final int protocol) {
        final Memory sll = new Memory(20);
        sll.clear();
        sll.setShort(0, (short) LibC.AF_PACKET);
        sll.setShort(2, Short.reverseBytes((short) protocol));
        sll.setInt(4, ifIndex);
        LibC.bind(fd, sll, 20);
    }

    int slotOffset(final int slot) {
        return slot * frameSize;
    }

    int status(final int slot) {
        return (int) STATUS.getAcquire(headers, slot * frameSize + H_STATUS);
    }

    void status(final int slot, final int value) {
        STATUS.setRelease(headers, slot * frameSize + H_STATUS, value);
    }

    /** Kernel drop counter since the last call ({@code tpacket_stats.tp_drops}; reading resets it). */
    long drops() {
        final Memory stats = new Memory(8);
        final Memory len = new Memory(4);
        len.setInt(0, 8);
        try {
            LibC.getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, stats, len);
            return stats.getInt(4) & 0xFFFFFFFFL;
        } catch (final LastErrorException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        try {
            LibC.munmap(map, mapLength);
        } catch (final LastErrorException e) {
            // the descriptor is closed below either way
        }
        LibC.closeQuietly(fd);
    }
}
