package io.jvs.sched.locality;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jvs.api.sched.ServiceScheduler;
import io.jvs.testkit.sched.TestContext;
import io.jvs.testkit.sched.TestFlow;
import io.jvs.testkit.sched.TestServer;

class LocalityBasedLeastConnectionWithReplicationTest {
    private static final long MINUTE = 60_000L;
    private final TestServer a = new TestServer("A", "10.0.0.1", 80, 1);
    private final TestServer b = new TestServer("B", "10.0.0.2", 80, 1);
    private final TestServer c = new TestServer("C", "10.0.0.3", 80, 1);
    private final TestContext context = new TestContext();
    private final ServiceScheduler lblcr =
        new LocalityBasedLeastConnectionWithReplication(10 * MINUTE).create(context);
    private final TestFlow toX = new TestFlow().to("203.0.113.7");

    @Test
    void replicatesOnOverloadAndUsesTheLeastLoadedMember() {
        lblcr.update(List.of(a, b, c));
        assertSame(a, lblcr.schedule(toX));                      // set {A}
        a.active.set(2);                                         // over its weight while B and C are idle
        assertSame(b, lblcr.schedule(toX));                      // wlc over the service: B; set {B, A}
        b.active.set(1);
        assertSame(b, lblcr.schedule(toX));                      // set min: B 256 beats A 512
        b.active.set(3);
        c.active.set(1);                                         // nobody under half its weight
        assertSame(a, lblcr.schedule(toX));                      // set min A (512 < 768), kept although 2 > 1
        c.active.set(0);                                         // C idle: A counts as overloaded
        assertSame(c, lblcr.schedule(toX));                      // wlc over the service: C; set {C, B, A}
        c.active.set(1);
        assertSame(c, lblcr.schedule(toX));                      // set min: C 256
    }

    @Test
    void shrinksTheSetAfterTheExpirationWithoutChange() {
        lblcr.update(List.of(a, b, c));
        assertSame(a, lblcr.schedule(toX));                      // set {A}, lastmod 0
        a.active.set(2);
        assertSame(b, lblcr.schedule(toX));                      // set {B, A}, lastmod 0
        context.now = 10 * MINUTE;
        assertSame(b, lblcr.schedule(toX));                      // not yet: now - lastmod = T
        context.now = 10 * MINUTE + 1;
        a.active.set(0);
        b.active.set(5);
        c.active.set(5);                                         // nobody under half load: no replication
        // set min is A (0 < 1280); the most loaded member B is dropped; set {A}, lastmod now.
        assertSame(a, lblcr.schedule(toX));
        a.active.set(9);
        assertSame(a, lblcr.schedule(toX));                      // single member: kept, no one under half
        c.active.set(0);
        assertSame(c, lblcr.schedule(toX));                      // A overloaded, C idle: wlc picks C
    }

    @Test
    void departedMembersAreSkipped() {
        lblcr.update(List.of(a, b));
        assertSame(a, lblcr.schedule(toX));
        lblcr.update(List.of(b));
        assertSame(b, lblcr.schedule(toX));                      // no available member: wlc, set {B, A}
        lblcr.update(List.of());
        assertNull(lblcr.schedule(toX));
    }

    @Test
    void idleEntriesExpireOnTheThirtiethRun() {
        lblcr.update(List.of(a, b));
        assertSame(a, lblcr.schedule(toX));
        for (int run = 1; run <= 29; run++) {
            lblcr.expire(run * MINUTE);
        }
        a.active.set(1);                                         // wlc would now choose B
        assertSame(a, lblcr.schedule(toX));                      // cached, last use 0
        lblcr.expire(30 * MINUTE);                               // idle 30 min > 10 min
        assertSame(b, lblcr.schedule(toX));
    }
}
