package io.jvs.core.port;

import java.nio.ByteBuffer;

/**
 * A port in memory, for unit tests and benchmarks: per queue, frames are injected into a receive ring and
 * transmitted frames land in a transmit ring, all preallocated, so the packet path runs exactly as on AF_PACKET
 * without root and without allocating.
 *
 * <p>Threading as on AF_PACKET: each queue belongs to one thread, which injects into it, has the worker of that
 * queue receive and transmit, and drains it; different queues may be driven by different threads at once, as
 * the workers of a multi-queue data plane are. {@link #sendControl} is thread safe.
 */
public final class MemoryPort implements Port {
    private static final int SLOT = 2048;

    private final String name;
    private final int ifIndex;
    private final long mac;
    private final Ring[] rings;
    private final ByteBuffer control = ByteBuffer.allocate(SLOT);
    private long controlSent;
    private int controlLength;
    private boolean replay;

    /** A single-queue port, the one the queue-less methods ({@link #inject(byte[])}, {@link #drain()}) are for. */
    public MemoryPort(final String name, final int ifIndex, final long mac, final int slots) {
        this(name, ifIndex, mac, slots, 1);
    }

    /**
     * @param slots  frames each receive and each transmit ring holds
     * @param queues receive/transmit ring pairs, one per data-plane worker
     */
    public MemoryPort(final String name, final int ifIndex, final long mac, final int slots, final int queues) {
        if (queues < 1) {
            throw new IllegalArgumentException("queues must be positive, not " + queues);
        }
        this.name = name;
        this.ifIndex = ifIndex;
        this.mac = mac;
        this.rings = new Ring[queues];
        for (int q = 0; q < queues; q++) {
            rings[q] = new Ring(slots);
        }
    }

    /** Queues a frame on queue 0 for the next {@link #receive}; false when the ring is full. */
    public boolean inject(final byte[] frame) {
        return inject(0, frame);
    }

    public boolean inject(final ByteBuffer frame, final int offset, final int length) {
        return inject(0, frame, offset, length);
    }

    /** Queues a frame on {@code queue}; false when that queue's ring is full. */
    public boolean inject(final int queue, final byte[] frame) {
        return inject(queue, ByteBuffer.wrap(frame), 0, frame.length);
    }

    public boolean inject(final int queue, final ByteBuffer frame, final int offset, final int length) {
        return rings[queue].inject(frame, offset, length);
    }

    /**
     * Benchmark mode: {@link #receive} cycles for ever over the frames injected so far into its queue, handing
     * out a fresh copy each time; transmitted frames are counted, not kept. Set before traffic starts.
     */
    public void replay(final boolean on) {
        replay = on;
    }

    @Override
    public int receive(final int queue, final FrameHandler handler, final int max) {
        final Ring r = rings[queue];
        return replay ? r.replay(handler, max) : r.receive(handler, max);
    }

    @Override
    public boolean transmit(final int queue, final ByteBuffer frame, final int offset, final int length) {
        return rings[queue].transmit(frame, offset, length, replay);
    }

    /**
     * Frames transmitted so far on every queue (including those drained). Exact only when no worker is
     * transmitting, or when there is one queue and it is read from its own thread.
     */
    public long transmitted() {
        long sum = 0;
        for (final Ring r : rings) {
            sum += r.txTail;
        }
        return sum;
    }

    /** Frames transmitted so far on {@code queue} (including those drained); from the queue's own thread. */
    public long transmitted(final int queue) {
        return rings[queue].txTail;
    }

    /** Takes the oldest frame transmitted on queue 0, or null when there is none. Allocates: tests only. */
    public byte[] drain() {
        return drain(0);
    }

    /** Takes the oldest frame transmitted on {@code queue}, or null. Allocates: tests only. */
    public byte[] drain(final int queue) {
        return rings[queue].drain();
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
        return rings.length;
    }

    @Override
    public void close() {
        // memory only
    }

    /** The receive and transmit ring of one queue; touched by that queue's thread only. */
    private static final class Ring {
        private final ByteBuffer rx;
        private final int[] rxLength;
        private final ByteBuffer tx;
        private final int[] txLength;
        private int rxHead;
        private int rxTail;
        private int txHead;
        private int txTail;
        private int replayCursor;

        Ring(final int slots) {
            this.rx = ByteBuffer.allocateDirect(slots * SLOT);
            this.rxLength = new int[slots];
            this.tx = ByteBuffer.allocateDirect(slots * SLOT);
            this.txLength = new int[slots];
        }

        boolean inject(final ByteBuffer frame, final int offset, final int length) {
            if (rxTail - rxHead == rxLength.length || length > SLOT) {
                return false;
            }
            final int slot = rxTail % rxLength.length;
            rx.put(slot * SLOT, frame, offset, length);
            rxLength[slot] = length;
            rxTail++;
            return true;
        }

        int receive(final FrameHandler handler, final int max) {
            int n = 0;
            while (n < max && rxHead != rxTail) {
                final int slot = rxHead % rxLength.length;
                handler.onFrame(rx, slot * SLOT, rxLength[slot]);
                rxHead++;
                n++;
            }
            return n;
        }

        /** Cycles over the injected frames, each copied to scratch space so the pristine one survives rewriting. */
        int replay(final FrameHandler handler, final int max) {
            final int frames = rxTail - rxHead;
            int n = 0;
            for (; n < max && frames > 0; n++) {
                final int slot = (rxHead + replayCursor) % rxLength.length;
                replayCursor = replayCursor + 1 == frames ? 0 : replayCursor + 1;
                tx.put(0, rx, slot * SLOT, rxLength[slot]);
                handler.onFrame(tx, 0, rxLength[slot]);
            }
            return n;
        }

        boolean transmit(final ByteBuffer frame, final int offset, final int length, final boolean countOnly) {
            if (countOnly) {
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

        byte[] drain() {
            if (txHead == txTail) {
                return null;
            }
            final int slot = txHead % txLength.length;
            final byte[] out = new byte[txLength[slot]];
            tx.get(slot * SLOT, out);
            txHead++;
            return out;
        }
    }
}
