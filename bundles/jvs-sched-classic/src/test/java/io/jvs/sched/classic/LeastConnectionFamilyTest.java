package io.jvs.sched.classic;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.ServiceScheduler;
import io.jvs.testkit.sched.TestContext;
import io.jvs.testkit.sched.TestFlow;
import io.jvs.testkit.sched.TestServer;

/** lc, wlc, sed, nq, fo, ovf: each decision derived by hand from the kernel's loop. */
class LeastConnectionFamilyTest {
    private static final Flow FLOW = new TestFlow().from("192.0.2.1", 1234).to("198.51.100.1");

    private static ServiceScheduler with(final Scheduler scheduler, final TestServer... list) {
        final ServiceScheduler state = scheduler.create(new TestContext());
        state.update(List.of(list));
        return state;
    }

    @Test
    void lcTakesTheSmallestOverheadIgnoringWeights() {
        final TestServer a = new TestServer("A", 5).conns(1, 0);       // 256
        final TestServer b = new TestServer("B", 1).conns(0, 10);      // 10
        final TestServer c = new TestServer("C", 0).conns(0, 0);       // quiescent
        assertSame(b, with(new LeastConnection(), a, b, c).schedule(FLOW));
        b.inactive = 256;                                               // tie with A: the earlier wins
        assertSame(a, with(new LeastConnection(), a, b, c).schedule(FLOW));
        a.overloaded = true;
        assertSame(b, with(new LeastConnection(), a, b, c).schedule(FLOW));
        b.weight = 0;
        assertNull(with(new LeastConnection(), a, b, c).schedule(FLOW));
    }

    @Test
    void wlcComparesOverheadPerWeightByCrossMultiplication() {
        final TestServer a = new TestServer("A", 1).conns(1, 0);       // 256 / 1
        final TestServer b = new TestServer("B", 3).conns(2, 0);       // 512 / 3
        final ServiceScheduler wlc = with(new WeightedLeastConnection(), a, b);
        assertSame(b, wlc.schedule(FLOW));
        b.weight = 2;                                                   // 512 / 2 = 256 / 1: tie, the earlier
        assertSame(a, wlc.schedule(FLOW));
        a.weight = 0;                                                   // quiescent first: start from B
        assertSame(b, wlc.schedule(FLOW));
        a.weight = 1;
        a.overloaded = true;
        assertSame(b, wlc.schedule(FLOW));
        b.overloaded = true;
        assertNull(wlc.schedule(FLOW));
    }

    @Test
    void wlcNeverOverflowsOnLargeCounts() {
        final TestServer a = new TestServer("A", 65535).conns(3_000_000, 0);
        final TestServer b = new TestServer("B", 65535).conns(2_000_000, 0);
        assertSame(b, with(new WeightedLeastConnection(), a, b).schedule(FLOW));
    }

    @Test
    void sedCountsActiveConnectionsPlusOne() {
        final TestServer a = new TestServer("A", 1).conns(0, 1000);    // (0 + 1) / 1, inactive ignored
        final TestServer b = new TestServer("B", 3).conns(2, 0);       // (2 + 1) / 3: tie
        final ServiceScheduler sed = with(new ShortestExpectedDelay(), a, b);
        assertSame(a, sed.schedule(FLOW));
        b.weight = 4;                                                   // 3 / 4 < 1
        assertSame(b, sed.schedule(FLOW));
        b.weight = 0;
        assertSame(a, sed.schedule(FLOW));
    }

    @Test
    void nqTakesTheFirstIdleElseSed() {
        final TestServer a = new TestServer("A", 1).conns(1, 0);
        final TestServer b = new TestServer("B", 1).conns(0, 5);
        final TestServer c = new TestServer("C", 9).conns(0, 0);
        final ServiceScheduler nq = with(new NeverQueue(), a, b, c);
        assertSame(b, nq.schedule(FLOW));                               // first idle, not the heaviest
        b.active.set(3);
        c.active.set(8);                                                // (1+1)/1=2, (3+1)/1=4, (8+1)/9=1
        assertSame(c, nq.schedule(FLOW));
        c.weight = 0;
        assertSame(a, nq.schedule(FLOW));
        a.overloaded = true;
        b.overloaded = true;
        assertNull(nq.schedule(FLOW));
    }

    @Test
    void foTakesTheHighestWeight() {
        final TestServer a = new TestServer("A", 2);
        final TestServer b = new TestServer("B", 5).conns(100, 100);
        final TestServer c = new TestServer("C", 5);
        final ServiceScheduler fo = with(new WeightedFailover(), a, b, c);
        assertSame(b, fo.schedule(FLOW));                               // tie with C: the earlier
        b.overloaded = true;
        assertSame(c, fo.schedule(FLOW));
        c.weight = 0;
        assertSame(a, fo.schedule(FLOW));
        a.overloaded = true;
        assertNull(fo.schedule(FLOW));
    }

    @Test
    void ovfOverflowsWhenActiveExceedsWeight() {
        final TestServer a = new TestServer("A", 3).conns(3, 50);      // 3 <= 3: still eligible
        final TestServer b = new TestServer("B", 2);
        final ServiceScheduler ovf = with(new WeightedOverflow(), a, b);
        assertSame(a, ovf.schedule(FLOW));
        a.active.set(4);                                                // 4 > 3: overflow to B
        assertSame(b, ovf.schedule(FLOW));
        b.active.set(3);
        assertNull(ovf.schedule(FLOW));
        b.active.set(0);
        b.overloaded = true;
        assertNull(ovf.schedule(FLOW));
    }
}
