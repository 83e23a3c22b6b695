package io.jvs.sched.locality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.ServiceScheduler;
import io.jvs.testkit.sched.Hammer;
import io.jvs.testkit.sched.TestContext;

/** Workers schedule while the control plane swaps destination lists: no exception, never null, spread. */
class ConcurrencyTest {
    private static Scheduler byName(final String name) {
        switch (name) {
            case "lblc": return new LocalityBasedLeastConnection();
            case "lblcr": return new LocalityBasedLeastConnectionWithReplication();
            default: throw new IllegalArgumentException(name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lblc", "lblcr"})
    void hammer(final String name) throws InterruptedException {
        final Scheduler scheduler = byName(name);
        assertEquals(name, scheduler.name());
        final ServiceScheduler state = scheduler.create(new TestContext());
        final Set<RealServer> seen = new Hammer(name, state)
            .varying(flow -> {
                flow.source = ThreadLocalRandom.current().nextInt();
                flow.destination = ThreadLocalRandom.current().nextInt(4096);
            })
            .churningConnections(true)
            .beforeEachUpdate(() -> state.expire(System.currentTimeMillis()))
            .run();
        assertTrue(seen.size() >= 4, name + " spread over " + seen.size());
    }
}
