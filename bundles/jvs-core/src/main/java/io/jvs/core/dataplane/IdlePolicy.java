package io.jvs.core.dataplane;

/**
 * What a worker does after a pass over its queues: work on, spin, nap, or sleep in poll(2).
 *
 * <p>Under heavy traffic the gaps between batches are short; spinning through them only takes CPU from the rest
 * of the machine (measured in the lab at full keep-alive load: over a quarter of the worker's time), while a sleeping
 * worker loses nothing because its ring fills as it wakes. So the worker spins only while its receive rate is
 * below {@code busyPollMaxPps}, for at most {@code busyPollMicros} after its last frame; at and above that rate
 * it sleeps as soon as its queues are empty.
 *
 * <p>Longer spins at light load were measured and rejected: spinning through the 10 ms gaps of 100 requests/s
 * cut the median latency (no wake-up of an idle CPU), but on a small box the spinning CPU is lost to everything
 * else; a realserver or client woken onto it waits for the scheduler to preempt the spinner (yield does not
 * help across scheduler groups), and the 99th percentile grew by milliseconds.
 *
 * <p>Under heavy traffic a worker that sleeps in poll(2) is woken by the first frame that lands, so its batches stay
 * small: every few frames cost a wake-up (on the sender's CPU too) and a transmit kick. A busy worker therefore
 * first naps for {@code napMicros} when its queues run empty, as a NIC moderates its interrupts ({@code ethtool -C
 * rx-usecs}): the frames of the nap are served in one batch with one kick. Only if the queues are still empty
 * after the nap does it sleep in poll(2). Light traffic never naps, so it pays no added latency.
 *
 * <p>The rate is counted over windows of about a millisecond. Single-threaded (one per worker); no allocation.
 */
final class IdlePolicy {
    static final int WORK = 0;
    static final int SPIN = 1;
    static final int SLEEP = 2;
    static final int NAP = 3;
    static final long WINDOW_NANOS = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long spinNanos;
    private final long maxPps;
    private final boolean naps;
    private long windowStart;
    private long windowFrames;
    private long lastFrame;
    private boolean busy;
    private boolean napped;

    /**
     * @param spinMicros how long after its last frame a lightly loaded worker spins; 0 never spins
     * @param maxPps     receive rate (frames/s) at and above which the worker does not spin, but naps
     * @param napMicros  whether a busy worker naps before it sleeps (the nap's length is the caller's); 0 never
     * @param now        the current time in nanoseconds
     */
    IdlePolicy(final long spinMicros, final long maxPps, final long napMicros, final long now) {
        this.spinNanos = spinMicros * 1000L;
        this.maxPps = maxPps;
        this.naps = napMicros > 0;
        this.windowStart = now;
        this.lastFrame = now - spinNanos;
    }

    /**
     * @param frames frames the last pass received
     * @param now    the current time in nanoseconds ({@link System#nanoTime()})
     * @return {@link #WORK}, {@link #SPIN}, {@link #NAP} or {@link #SLEEP}
     */
    int next(final int frames, final long now) {
        final long elapsed = now - windowStart;
        if (elapsed >= WINDOW_NANOS) {
            // After a long sleep the window is long too; a second or more without traffic is simply not busy.
            busy = elapsed < NANOS_PER_SECOND && windowFrames * NANOS_PER_SECOND >= maxPps * elapsed;
            windowStart = now;
            windowFrames = 0;
        }
        if (frames > 0) {
            windowFrames += frames;
            lastFrame = now;
            napped = false;
            return WORK;
        }
        if (busy) {
            if (naps && !napped) {
                napped = true;
                return NAP;
            }
            return SLEEP;
        }
        return now - lastFrame < spinNanos ? SPIN : SLEEP;
    }

    /** Whether the last full window's receive rate reached {@code maxPps}. */
    boolean busy() {
        return busy;
    }
}
