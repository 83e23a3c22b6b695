package io.jvs.sched.hashing;

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
            case "sh": return new SourceHashing();
            case "dh": return new DestinationHashing();
            case "mh": return new MaglevHashing();
            default: throw new IllegalArgumentException(name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sh", "dh", "mh"})
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
        final ThreadLocal<TestFlow> flows = ThreadLocal.withInitial(TestFlow::new);
        for (int w = 0; w < WORKERS; w++) {
            final Thread worker = new Thread(() -> {
                try {
                    final TestFlow flow = flows.get();
                    while (!stop.get()) {
                        flow.source = ThreadLocalRandom.current().nextInt();
                        flow.destination = ThreadLocalRandom.current().nextInt();
                        final RealServer chosen = state.schedule(flow);
                        assertNotNull(chosen);
                        assertTrue(pool.contains(chosen));
                        seen.add(chosen);
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
        assertTrue(seen.size() >= 4, name + " spread over " + seen.size());
    }
}
