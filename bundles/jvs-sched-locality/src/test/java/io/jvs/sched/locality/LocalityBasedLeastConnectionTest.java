package io.jvs.sched.locality;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jvs.api.sched.ServiceScheduler;
import io.jvs.testkit.sched.TestContext;
import io.jvs.testkit.sched.TestFlow;
import io.jvs.testkit.sched.TestServer;

class LocalityBasedLeastConnectionTest {
    private static final long MINUTE = 60_000L;
    private final TestServer a = new TestServer("A", "10.0.0.1", 80, 1);
    private final TestServer b = new TestServer("B", "10.0.0.2", 80, 1);
    private final TestContext context = new TestContext();
    private final ServiceScheduler lblc = new LocalityBasedLeastConnection(10 * MINUTE).create(context);
    private final TestFlow toX = new TestFlow().to("203.0.113.7");

    @Test
    void cachesTheDestinationPerDestinationAddress() {
        lblc.update(List.of(a, b));
        assertSame(a, lblc.schedule(toX));                       // miss: wlc, all idle, the first
        a.active.set(1);                                         // 1 > 1 is false: still not overloaded
        assertSame(a, lblc.schedule(toX));
        assertSame(b, lblc.schedule(new TestFlow().to("203.0.113.8")));   // another address: wlc picks B
    }

    @Test
    void leavesAnOverloadedDestinationOnlyWhenAnotherIsUnderHalfLoad() {
        lblc.update(List.of(a, b));
        assertSame(a, lblc.schedule(toX));
        a.active.set(2);                                         // 2 > 1 ...
        b.active.set(1);                                         // ... but B: 1 * 2 < 1 is false
        assertSame(a, lblc.schedule(toX));
        b.active.set(0);                                         // now B is under half its weight
        assertSame(b, lblc.schedule(toX));                       // wlc: 512 vs 0, and the entry moves to B
        a.active.set(0);
        assertSame(b, lblc.schedule(toX));
    }

    @Test
    void theOverloadFlagOfACachedDestinationIsNotConsulted() {
        lblc.update(List.of(a, b));
        assertSame(a, lblc.schedule(toX));
        a.overloaded = true;
        assertSame(a, lblc.schedule(toX));                       // as ip_vs_lblc.c: only available, weight, load
        assertSame(b, lblc.schedule(new TestFlow().to("203.0.113.9")));   // a miss skips it in wlc
    }

    @Test
    void removedOrQuiescentDestinationsAreReplaced() {
        lblc.update(List.of(a, b));
        assertSame(a, lblc.schedule(toX));
        a.weight = 0;
        lblc.update(List.of(a, b));
        assertSame(b, lblc.schedule(toX));
        a.weight = 1;
        lblc.update(List.of(a, b));
        assertSame(b, lblc.schedule(toX));                       // the entry now says B
        lblc.update(List.of(a));                                 // B removed: no longer available
        assertSame(a, lblc.schedule(toX));
        lblc.update(List.of());
        assertNull(lblc.schedule(toX));
    }

    @Test
    void everyThirtiethRunExpiresIdleEntries() {
        lblc.update(List.of(a, b));
        lblc.schedule(toX);                                      // last use at 0
        for (int run = 1; run < 30; run++) {
            context.now = run * MINUTE;
            lblc.expire(context.now);
            lblc.expire(context.now + MINUTE / 2);               // between timer runs: nothing happens
        }
        a.active.set(5);                                         // a fresh lookup would now choose B
        b.active.set(0);
        a.weight = 10;
        assertSame(a, lblc.schedule(toX));                       // still cached after 29 runs
        context.now = 30 * MINUTE + 11 * MINUTE;
        lblc.expire(context.now);                                // 30th run: idle 11 min > 10 min expiration
        assertSame(b, lblc.schedule(toX));                       // a miss again: wlc 1280/10 vs 0/1
    }
}
