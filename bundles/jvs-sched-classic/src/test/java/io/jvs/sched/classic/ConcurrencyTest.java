package io.jvs.sched.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.ServiceScheduler;

/** Workers schedule while the control plane swaps destination lists: no exception, never null, spread. */
class ConcurrencyTest {
    private static final int WORKERS = 4;
    private static final long MILLIS = 300;

    private static Scheduler byName(final String name) {
        switch (name) {
            case "rr": return new RoundRobin();
            case "wrr": return new WeightedRoundRobin();
            case "lc": return new LeastConnection();
            case "wlc": return new WeightedLeastConnection();
            case "sed": return new ShortestExpectedDelay();
            case "nq": return new NeverQueue();
            case "fo": return new WeightedFailover();
            case "ovf": return new WeightedOverflow();
            case "twos": return new PowerOfTwosChoice();
            default: throw new IllegalArgumentException(name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rr", "wrr", "lc", "wlc", "sed", "nq", "fo", "ovf", "twos"})
    void hammer(final String name) throws InterruptedException {
        final Scheduler scheduler = byName(name);
        assertEquals(name, scheduler.name());
        final ServiceScheduler state = scheduler.create(new TestContext());
        final List<TestServer> pool = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            pool.add(new TestServer("S" + i, "10.0.1." + (i + 1), 80, 1 + i % 4));
        }
        state.update(pool);
        final Set<RealServer> seen = ConcurrentHashMap.newKeySet();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(WORKERS);
        // fo and ovf choose by weight alone; ovf refuses servers whose active connections exceed their weight.
        final boolean loadless = "fo".equals(name) || "ovf".equals(name);
        final TestFlow flow = new TestFlow().from("192.0.2.1", 1234).to("198.51.100.1");
        for (int w = 0; w < WORKERS; w++) {
            final Thread worker = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        final RealServer chosen = state.schedule(flow);
                        assertNotNull(chosen);
                        assertTrue(pool.contains(chosen));
                        seen.add(chosen);
                        final TestServer server = (TestServer) chosen;
                        if (!loadless && server.active.incrementAndGet() > 40) {
                            server.active.set(0);               // connections come and go
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
        assertTrue(seen.size() >= (loadless ? 1 : 4), name + " spread over " + seen.size());
    }
}
