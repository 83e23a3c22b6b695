package io.jvs.core.port;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import io.jvs.core.os.LibC;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A data-plane interface through AF_PACKET: per worker queue one receive ring (joined in a PACKET_FANOUT group
 * when there are several, by flow hash or by receiving CPU) and one transmit ring; frames are read and written in the mapped rings, and each
 * batch costs one {@code sendto} kick, never a call per frame.
 */
public final class AfPacketPort implements Port {
    private static final AtomicInteger FANOUT_GROUPS = new AtomicInteger((int) (ProcessHandle.current().pid() & 0x7FFF));

    private final String name;
    private final int ifIndex;
    private final long mac;
    private final PacketRing[] rx;
    private final PacketRing[] tx;
    private final int[] rxNext;
    private final int[] txNext;
    private final int[] txPending;
    private final int controlFd;
    private final Memory controlBuffer = new Memory(2048);
    private final Memory controlAddress = new Memory(20);
    private long ringDrops;

    /**
     * Opens the rings in the calling thread's network namespace.
     *
     * @param mac    the interface's MAC (from rtnetlink)
     * @param queues worker queues
     * @param frames ring slots per queue and direction (2 KiB each)
     * @param byCpu  fan frames out by the CPU that received them (queue q gets CPUs c with c % queues == q)
     */
    public AfPacketPort(final String name, final long mac, final int queues, final int frames, final boolean byCpu) {
        this.name = name;
        this.ifIndex = LibC.if_nametoindex(name);
        if (ifIndex == 0) {
            throw new IllegalArgumentException("no interface " + name);
        }
        this.mac = mac;
        this.rx = new PacketRing[queues];
        this.tx = new PacketRing[queues];
        this.rxNext = new int[queues];
        this.txNext = new int[queues];
        this.txPending = new int[queues];
        final int group = queues > 1 ? FANOUT_GROUPS.incrementAndGet() & 0xFFFF : -1;
        int control = -1;
        try {
            for (int q = 0; q < queues; q++) {
                rx[q] = PacketRing.receive(ifIndex, frames, group, byCpu);
                tx[q] = PacketRing.transmit(ifIndex, frames);
            }
            control = LibC.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, 0);
        } catch (final RuntimeException e) {
            closeRings();
            throw e;
        }
        this.controlFd = control;
        controlAddress.clear();
        controlAddress.setShort(0, (short) LibC.AF_PACKET);
        controlAddress.setInt(4, ifIndex);
        controlAddress.setByte(11, (byte) 6);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int ifIndex() {
        return ifIndex;
    }

    @Override
    public long mac() {
        return mac;
    }

    @Override
    public int queues() {
        return rx.length;
    }

    @Override
    public int receive(final int queue, final FrameHandler handler, final int max) {
        final PacketRing ring = rx[queue];
        int slot = rxNext[queue];
        int n = 0;
        while (n < max) {
            final int status = ring.status(slot);
            if ((status & PacketRing.TP_STATUS_USER) == 0) {
                break;
            }
            final int at = ring.slotOffset(slot);
            // COPY: the frame did not fit the slot (jumbo frame); it cannot be forwarded whole.
            if ((status & PacketRing.TP_STATUS_COPY) == 0) {
                final int mac = ring.headers.getShort(at + PacketRing.H_MAC) & 0xFFFF;
                final int snap = ring.headers.getInt(at + PacketRing.H_SNAPLEN);
                handler.onFrame(ring.data, at + mac, snap);
            }
            ring.status(slot, PacketRing.TP_STATUS_KERNEL);
            slot = slot + 1 == ring.frames ? 0 : slot + 1;
            n++;
        }
        rxNext[queue] = slot;
        return n;
    }

    @Override
    public boolean transmit(final int queue, final ByteBuffer frame, final int offset, final int length) {
        final PacketRing ring = tx[queue];
        final int slot = txNext[queue];
        final int status = ring.status(slot);
        if (status != PacketRing.TP_STATUS_AVAILABLE && status != PacketRing.TP_STATUS_WRONG_FORMAT) {
            flush(queue);
            return false;
        }
        if (length > ring.frameSize - PacketRing.TX_DATA) {
            return false;
        }
        final int at = ring.slotOffset(slot);
        ring.data.put(at + PacketRing.TX_DATA, frame, offset, length);
        ring.headers.putInt(at + PacketRing.H_LEN, length);
        ring.status(slot, PacketRing.TP_STATUS_SEND_REQUEST);
        txNext[queue] = slot + 1 == ring.frames ? 0 : slot + 1;
        if (++txPending[queue] >= 64) {
            flush(queue);
        }
        return true;
    }

    @Override
    public void flush(final int queue) {
        if (txPending[queue] > 0) {
            txPending[queue] = 0;
            // MSG_DONTWAIT: a full device queue leaves frames in SEND_REQUEST; the next kick sends them.
            LibC.sendto(tx[queue].fd, null, 0, LibC.MSG_DONTWAIT, null, 0);
        }
    }

    @Override
    public int pollFd(final int queue) {
        return rx[queue].fd;
    }

    @Override
    public synchronized void sendControl(final ByteBuffer frame, final int offset, final int length) {
        final int n = Math.min(length, 2048);
        for (int i = 0; i < n; i++) {
            controlBuffer.setByte(i, frame.get(offset + i));
        }
        if (LibC.sendto(controlFd, controlBuffer, n, 0, controlAddress, 20) < 0) {
            throw new IllegalStateException("send on " + name + " failed: errno " + Native.getLastError());
        }
    }

    @Override
    public synchronized long ringDrops() {
        // The kernel resets its counter on every read, so the total is kept here.
        for (final PacketRing r : rx) {
            ringDrops += r.drops();
        }
        return ringDrops;
    }

    @Override
    public void close() {
        closeRings();
        LibC.closeQuietly(controlFd);
    }

    private void closeRings() {
        for (final PacketRing r : rx) {
            if (r != null) {
                r.close();
            }
        }
        for (final PacketRing r : tx) {
            if (r != null) {
                r.close();
            }
        }
    }
}
