package io.jvs.core.stats;

import java.lang.ref.WeakReference;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The IPVS rate estimator ({@code ip_vs_est.c}): every 2 s each live {@link Counters} turns its change since
 * the last tick into per-second rates averaged over about 8 s, which {@code ipvsadm --rate} shows.
 *
 * <p>The owner is asked for its live counters at every tick instead of registering them, so counters of a
 * new service are estimated from the next tick on and those of a removed one are simply no longer visited
 * (the kernel's start and stop of an estimator).
 */
public final class RateEstimator implements AutoCloseable {
    /** The kernel's estimation period. */
    public static final long PERIOD_SECONDS = 2;

    private static final System.Logger LOG = System.getLogger(RateEstimator.class.getName());

    /** The counters an estimator follows, walked afresh at every tick. */
    @FunctionalInterface
    public interface Source {
        void forEachCounters(Consumer<Counters> action);
    }

    private final Source source;
    private ScheduledExecutorService timer;
    private boolean closed;

    public RateEstimator(final Source source) {
        this.source = source;
    }

    /** One estimation step over every live counters; the timer calls it every 2 s, tests call it directly. */
    public void tick() {
        source.forEachCounters(Counters::estimate);
    }

    /** Starts ticking every 2 s on a daemon thread of its own; does nothing if running or closed. */
    public synchronized void start() {
        if (timer != null || closed) {
            return;
        }
        final ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, "jvs-estimator");
            thread.setDaemon(true);   // never keeps an embedding JVM alive
            return thread;
        });
        // The task holds the estimator weakly: when an owner that was never closed (a table obtained through
        // ServiceLoader, one made in a test) is collected, its thread ends at the next tick instead of living on.
        final WeakReference<RateEstimator> ref = new WeakReference<>(this);
        t.scheduleAtFixedRate(() -> run(ref, t), PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
        timer = t;
    }

    public synchronized boolean isRunning() {
        return timer != null;
    }

    /** Stops the timer for good; {@link #tick()} still works when called directly. */
    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    private static void run(final WeakReference<RateEstimator> ref, final ScheduledExecutorService timer) {
        final RateEstimator estimator = ref.get();
        if (estimator == null) {
            timer.shutdown();
            return;
        }
        try {
            estimator.tick();
        } catch (final RuntimeException e) {
            // A periodic task that throws is never run again; one bad tick must not end estimation for good.
            LOG.log(System.Logger.Level.ERROR, "rate estimation failed", e);
        }
    }
}
