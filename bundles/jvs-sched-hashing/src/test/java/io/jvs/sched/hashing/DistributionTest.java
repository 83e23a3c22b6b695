package io.jvs.sched.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.ServiceScheduler;
import io.jvs.testkit.sched.TestContext;
import io.jvs.testkit.sched.TestFlow;
import io.jvs.testkit.sched.TestServer;

/** One million random clients: each destination's share is its share of the table, which follows the weights. */
class DistributionTest {
    private static final int DECISIONS = 1_000_000;

    private static List<TestServer> weighted() {
        return List.of(new TestServer("A", "10.0.0.1", 80, 1), new TestServer("B", "10.0.0.2", 80, 2),
            new TestServer("C", "10.0.0.3", 80, 3), new TestServer("D", "10.0.0.4", 80, 4));
    }

    private static void assertShares(final Scheduler scheduler, final List<TestServer> dests,
                                     final double[] tableShares) {
        final ServiceScheduler state = scheduler.create(new TestContext());
        state.update(dests);
        final int[] counts = new int[dests.size()];
        final SplittableRandom random = new SplittableRandom(42);
        final TestFlow flow = new TestFlow();
        for (int i = 0; i < DECISIONS; i++) {
            flow.source = random.nextInt();
            flow.destination = random.nextInt();
            final RealServer chosen = state.schedule(flow);
            counts[dests.indexOf(chosen)]++;
        }
        for (int i = 0; i < counts.length; i++) {
            final double expected = DECISIONS * tableShares[i];
            assertEquals(expected, counts[i], expected * 0.03, dests.get(i).name);
        }
    }

    @Test
    void shFollowsItsBuckets() {
        // 25 full cycles of 10 buckets, then A, B, B, C, C, C: 26, 52, 78, 100 of 256.
        assertShares(new SourceHashing(), weighted(), new double[] {26 / 256.0, 52 / 256.0, 78 / 256.0, 100 / 256.0});
    }

    @Test
    void mhFollowsWeights() {
        // 4093 slots in rounds of 10: 409 rounds, then 1, 2 more: 410, 820, 1227, 1636.
        assertShares(new MaglevHashing(), weighted(),
            new double[] {410 / 4093.0, 820 / 4093.0, 1227 / 4093.0, 1636 / 4093.0});
    }

    @Test
    void dhIgnoresWeights() {
        assertShares(new DestinationHashing(), weighted(),
            new double[] {64 / 256.0, 64 / 256.0, 64 / 256.0, 64 / 256.0});
    }
}
