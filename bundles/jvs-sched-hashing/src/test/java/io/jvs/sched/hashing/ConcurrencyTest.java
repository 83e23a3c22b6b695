package io.jvs.sched.hashing;

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
        final Set<RealServer> seen = new Hammer(name, state)
            .varying(flow -> {
                flow.source = ThreadLocalRandom.current().nextInt();
                flow.destination = ThreadLocalRandom.current().nextInt();
            })
            .run();
        assertTrue(seen.size() >= 4, name + " spread over " + seen.size());
    }
}
