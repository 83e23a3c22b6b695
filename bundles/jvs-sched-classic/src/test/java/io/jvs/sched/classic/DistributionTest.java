package io.jvs.sched.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.ServiceScheduler;
import io.jvs.testkit.sched.TestContext;
import io.jvs.testkit.sched.TestFlow;
import io.jvs.testkit.sched.TestServer;

/** One million decisions: shares follow the weights. */
class DistributionTest {
    private static final int DECISIONS = 1_000_000;
    private static final Flow FLOW = new TestFlow().from("192.0.2.1", 1234).to("198.51.100.1");

    private static List<TestServer> weighted() {
        return List.of(new TestServer("A", 1), new TestServer("B", 2), new TestServer("C", 3), new TestServer("D", 4));
    }

    /** Counts picks; with {@code connect}, each pick opens an active connection on the chosen server. */
    private static Map<RealServer, Integer> run(final Scheduler scheduler, final List<TestServer> dests,
                                                final boolean connect) {
        final ServiceScheduler state = scheduler.create(new TestContext());
        state.update(dests);
        final Map<RealServer, Integer> counts = new IdentityHashMap<>();
        for (int i = 0; i < DECISIONS; i++) {
            final RealServer chosen = state.schedule(FLOW);
            counts.merge(chosen, 1, Integer::sum);
            if (connect) {
                ((TestServer) chosen).active.incrementAndGet();
            }
        }
        return counts;
    }

    private static void assertShares(final List<TestServer> dests, final Map<RealServer, Integer> counts,
                                     final double tolerance) {
        final int total = dests.stream().mapToInt(TestServer::weight).sum();
        for (final TestServer dest : dests) {
            final double expected = (double) DECISIONS * dest.weight() / total;
            assertEquals(expected, counts.getOrDefault(dest, 0), expected * tolerance, dest.name);
        }
    }

    @Test
    void wrrIsExact() {
        final List<TestServer> dests = weighted();
        assertShares(dests, run(new WeightedRoundRobin(), dests, false), 0.0);
    }

    @Test
    void rrIsEven() {
        final List<TestServer> dests = List.of(new TestServer("A", 1), new TestServer("B", 7));
        final Map<RealServer, Integer> counts = run(new RoundRobin(), dests, false);
        assertEquals(DECISIONS / 2, counts.get(dests.get(0)));
        assertEquals(DECISIONS / 2, counts.get(dests.get(1)));
    }

    @Test
    void wlcAndSedBalanceConnectionsByWeight() {
        List<TestServer> dests = weighted();
        assertShares(dests, run(new WeightedLeastConnection(), dests, true), 0.001);
        dests = weighted();
        assertShares(dests, run(new ShortestExpectedDelay(), dests, true), 0.001);
        dests = weighted();
        assertShares(dests, run(new NeverQueue(), dests, true), 0.001);
    }

    @Test
    void twosFollowsWeightsWhenLoadsAreEqual() {
        final List<TestServer> dests = weighted();
        // With equal loads the first pick stands: r = rand % (sum + 1) picks the first destination for r in
        // 0..w1 (w1 + 1 values) and destination i for the next wi values, as in the kernel.
        final Map<RealServer, Integer> counts = run(new PowerOfTwosChoice(), dests, false);
        final double[] shares = {2 / 11.0, 2 / 11.0, 3 / 11.0, 4 / 11.0};
        for (int i = 0; i < shares.length; i++) {
            final double expected = DECISIONS * shares[i];
            assertEquals(expected, counts.get(dests.get(i)), expected * 0.02, dests.get(i).name);
        }
    }

    @Test
    void twosBalancesConnectionsByWeight() {
        final List<TestServer> dests = weighted();
        assertShares(dests, run(new PowerOfTwosChoice(), dests, true), 0.02);
    }
}
