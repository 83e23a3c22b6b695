package io.jvs.core.port;

import java.nio.ByteBuffer;

/**
 * A port in memory, for unit tests and benchmarks: frames are injected into a receive ring and transmitted
 * frames land in a transmit ring, both preallocated, so the packet path runs exactly as on AF_PACKET without
 * root and without allocating. One queue. Not thread safe: inject, receive and drain from one thread.
 */
public final class MemoryPort implements Port {
    private static final int SLOT = 2048;

    private final String name;
    private final int ifIndex;
    private final long mac;
    private final ByteBuffer rx;
    private final int[] rxLength;
    private final ByteBuffer tx;
    private final int[] txLength;
    private final ByteBuffer control = ByteBuffer.allocate(SLOT);
    private int rxHead;
    private int rxTail;
    private int txHead;
    private int txTail;
    private long controlSent;
    private int controlLength;
    private boolean replay;
    private int replayCursor;

    public MemoryPort(final String name, final int ifIndex, final long mac, final int slots) {
        this.name = name;
        this.ifIndex = ifIndex;
        this.mac = mac;
        this.rx = ByteBuffer.allocateDirect(slots * SLOT);
        this.rxLength = new int[slots];
        this.tx = ByteBuffer.allocateDirect(slots * SLOT);
        this.txLength = new int[slots];
    }

    /** Queues a frame for the next {@link #receive}; false when the ring is full. */
    public boolean inject(final byte[] frame) {
        return inject(ByteBuffer.wrap(frame), 0, frame.length);
    }

    public boolean inject(final ByteBuffer frame, final int offset, final int length) {
        if (rxTail - rxHead == rxLength.length || length > SLOT) {
            return false;
        }
        final int slot = rxTail % rxLength.length;
        rx.put(slot * SLOT, frame, offset, length);
        rxLength[slot] = length;
        rxTail++;
        return true;
    }

    /**
     * Benchmark mode: {@link #receive} cycles for ever over the frames injected so far, handing out a fresh
     * copy each time; transmitted frames are counted, not kept.
     */
    public void replay(final boolean on) {
        replay = on;
    }

    @Override
    public int receive(final int queue, final FrameHandler handler, final int max) {
        int n = 0;
        if (replay) {
            // Cycle over the injected frames, each copied to scratch space so the pristine one survives rewriting.
            final int frames = rxTail - rxHead;
            for (; n < max && frames > 0; n++) {
                final int slot = (rxHead + replayCursor) % rxLength.length;
                replayCursor = replayCursor + 1 == frames ? 0 : replayCursor + 1;
                tx.put(0, rx, slot * SLOT, rxLength[slot]);
                handler.onFrame(tx, 0, rxLength[slot]);
            }
            return n;
        }
        while (n < max && rxHead != rxTail) {
            final int slot = rxHead % rxLength.length;
            handler.onFrame(rx, slot * SLOT, rxLength[slot]);
            rxHead++;
            n++;
        }
        return n;
    }

    @Override
    public boolean transmit(final int queue, final ByteBuffer frame, final int offset, final int length) {
        if (replay) {
            txTail++;
            return true;
        }
        if (txTail - txHead == txLength.length || length > SLOT) {
            return false;
        }
        final int slot = txTail % txLength.length;
        tx.put(slot * SLOT, frame, offset, length);
        txLength[slot] = length;
        txTail++;
        return true;
    }

    /** Frames transmitted so far (including those drained). */
    public long transmitted() {
        return txTail;
    }

    /** Takes the oldest transmitted frame, or null when there is none. Allocates: tests only. */
    public byte[] drain() {
        if (txHead == txTail) {
            return null;
        }
        final int slot = txHead % txLength.length;
        final byte[] out = new byte[txLength[slot]];
        tx.get(slot * SLOT, out);
        txHead++;
        return out;
    }

    /** The last frame sent through {@link #sendControl}, or null. */
    public synchronized byte[] lastControl() {
        if (controlSent == 0) {
            return null;
        }
        final byte[] out = new byte[controlLength];
        control.get(0, out);
        return out;
    }

    public synchronized long controlSent() {
        return controlSent;
    }

    @Override
    public void flush(final int queue) {
        // nothing is pending in memory
    }

    @Override
    public int pollFd(final int queue) {
        return -1;
    }

    @Override
    public synchronized void sendControl(final ByteBuffer frame, final int offset, final int length) {
        control.put(0, frame, offset, Math.min(length, SLOT));
        controlLength = Math.min(length, SLOT);
        controlSent++;
    }

    @Override
    public long ringDrops() {
        return 0;
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
        return 1;
    }

    @Override
    public void close() {
        // memory only
    }
}
