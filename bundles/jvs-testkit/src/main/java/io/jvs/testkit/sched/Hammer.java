package io.jvs.testkit.sched;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.ServiceScheduler;

/**
 * Workers schedule while the control plane swaps destination lists. {@link #WORKERS} threads call
 * {@link ServiceScheduler#schedule} for {@link #MILLIS} ms while the calling thread keeps updating the scheduler with
 * random subsets (never empty) of a pool of 16 destinations {@code S0..S15} at {@code 10.0.1.1..16:80}, weights 1 to
 * 4. Every choice must be non-null and from the pool; the first failure of any worker fails {@link #run()}.
 *
 * <pre>
 *   Set&lt;RealServer&gt; seen = new Hammer("sh", state)
 *       .varying(flow -&gt; flow.source = ThreadLocalRandom.current().nextInt())
 *       .run();
 * </pre>
 */
public final class Hammer {
    public static final int WORKERS = 4;
    public static final long MILLIS = 300;

    private final String name;
    private final ServiceScheduler state;
    private final List<TestServer> pool = new ArrayList<>();
    private Supplier<TestFlow> flows = TestFlow::new;
    private Consumer<TestFlow> vary = flow -> { };
    private boolean churn;
    private Runnable beforeEachUpdate = () -> { };

    /** {@code name} only labels the failure. */
    public Hammer(final String name, final ServiceScheduler state) {
        this.name = name;
        this.state = state;
        for (int i = 0; i < 16; i++) {
            pool.add(new TestServer("S" + i, "10.0.1." + (i + 1), 80, 1 + i % 4));
        }
    }

    /** The flow a worker schedules, asked once per worker on its thread; by default a fresh {@link TestFlow}. */
    public Hammer flows(final Supplier<TestFlow> perWorker) {
        flows = perWorker;
        return this;
    }

    /** Changes a worker's flow before each of its decisions. */
    public Hammer varying(final Consumer<TestFlow> beforeEachDecision) {
        vary = beforeEachDecision;
        return this;
    }

    /**
     * If on, every decision opens a connection on the chosen server, and a server past 40 active connections drops
     * back to 0 (connections come and go).
     */
    public Hammer churningConnections(final boolean on) {
        churn = on;
        return this;
    }

    /** Runs on the control-plane thread before each update, e.g. {@code state.expire(now)}. */
    public Hammer beforeEachUpdate(final Runnable action) {
        beforeEachUpdate = action;
        return this;
    }

    /** Hammers; returns the servers the workers were given. */
    public Set<RealServer> run() throws InterruptedException {
        state.update(pool);
        final Set<RealServer> seen = ConcurrentHashMap.newKeySet();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(WORKERS);
        for (int w = 0; w < WORKERS; w++) {
            final Thread worker = new Thread(() -> {
                try {
                    final TestFlow flow = flows.get();
                    while (!stop.get()) {
                        vary.accept(flow);
                        final RealServer chosen = state.schedule(flow);
                        assertNotNull(chosen);
                        assertTrue(pool.contains(chosen));
                        seen.add(chosen);
                        if (churn) {
                            final TestServer server = (TestServer) chosen;
                            if (server.active.incrementAndGet() > 40) {
                                server.active.set(0);
                            }
                        }
                    }
                } catch (final Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            });
            worker.start();
        }
        final long end = System.currentTimeMillis() + MILLIS;
        while (System.currentTimeMillis() < end) {
            beforeEachUpdate.run();
            final List<TestServer> subset = new ArrayList<>(pool);
            subset.removeIf(s -> ThreadLocalRandom.current().nextInt(3) == 0);
            if (subset.isEmpty()) {
                subset.add(pool.get(0));
            }
            state.update(subset);
            Thread.onSpinWait();
        }
        stop.set(true);
        done.await();
        if (failure.get() != null) {
            throw new AssertionError(name + " failed under concurrent updates", failure.get());
        }
        return seen;
    }
}
