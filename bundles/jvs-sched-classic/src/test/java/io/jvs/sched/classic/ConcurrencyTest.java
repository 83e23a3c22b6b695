package io.jvs.sched.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.ServiceScheduler;
import io.jvs.testkit.sched.Hammer;
import io.jvs.testkit.sched.TestContext;
import io.jvs.testkit.sched.TestFlow;

/** Workers schedule while the control plane swaps destination lists: no exception, never null, spread. */
class ConcurrencyTest {
    @ParameterizedTest
    @ValueSource(strings = {"rr", "wrr", "lc", "wlc", "sed", "nq", "fo", "ovf", "twos"})
    void hammer(final String name) throws InterruptedException {
        final Scheduler scheduler = ClassicSchedulers.byName(name);
        assertEquals(name, scheduler.name());
        final ServiceScheduler state = scheduler.create(new TestContext());
        // fo and ovf choose by weight alone; ovf refuses servers whose active connections exceed their weight.
        final boolean loadless = "fo".equals(name) || "ovf".equals(name);
        final TestFlow flow = new TestFlow().from("192.0.2.1", 1234).to("198.51.100.1");
        final Set<RealServer> seen = new Hammer(name, state)
            .flows(() -> flow)                                  // one flow, shared by every worker
            .churningConnections(!loadless)
            .run();
        assertTrue(seen.size() >= (loadless ? 1 : 4), name + " spread over " + seen.size());
    }
}
