package io.jvs.sched.locality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.ServiceScheduler;
import io.jvs.testkit.sched.TestContext;
import io.jvs.testkit.sched.TestFlow;
import io.jvs.testkit.sched.TestServer;

/**
 * One million decisions over 10,000 destination addresses with connections that stay open: new addresses go to
 * the weighted least-connection server, so the shares of connections follow the weights.
 */
class DistributionTest {
    private static final int DECISIONS = 1_000_000;

    private static void assertShares(final Scheduler scheduler) {
        final List<TestServer> dests = List.of(new TestServer("A", "10.0.0.1", 80, 100),
            new TestServer("B", "10.0.0.2", 80, 200), new TestServer("C", "10.0.0.3", 80, 300),
            new TestServer("D", "10.0.0.4", 80, 400));
        final ServiceScheduler state = scheduler.create(new TestContext());
        state.update(dests);
        final int[] counts = new int[dests.size()];
        final TestFlow flow = new TestFlow();
        for (int i = 0; i < DECISIONS; i++) {
            flow.destination = 0xC6336400 + i % 10_000;
            final RealServer chosen = state.schedule(flow);
            counts[dests.indexOf(chosen)]++;
            ((TestServer) chosen).active.incrementAndGet();
        }
        for (int i = 0; i < counts.length; i++) {
            final double expected = DECISIONS * (i + 1) / 10.0;
            assertEquals(expected, counts[i], expected * 0.05, dests.get(i).name);
        }
    }

    @Test
    void lblcSpreadsByWeight() {
        assertShares(new LocalityBasedLeastConnection());
    }

    @Test
    void lblcrSpreadsByWeight() {
        assertShares(new LocalityBasedLeastConnectionWithReplication());
    }
}
