package io.jvs.sched.hashing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.SchedulerContext;
import io.jvs.api.sched.ServiceScheduler;
import io.jvs.testkit.sched.TestContext;
import io.jvs.testkit.sched.TestFlow;
import io.jvs.testkit.sched.TestServer;

class SourceHashingTest {
    private final TestServer a = new TestServer("A", "10.0.0.1", 80, 2);
    private final TestServer b = new TestServer("B", "10.0.0.2", 80, 1);
    private final TestServer c = new TestServer("C", "10.0.0.3", 80, 0);
    private final TestContext context = new TestContext();
    private final ServiceScheduler sh = new SourceHashing().create(context);

    @Test
    void bucketsAreFilledByWeightCyclingTheList() {
        final RealServer[] table = SourceHashing.fill(List.of(a, b, c));
        // weight 2: two buckets; weight 1: one; weight 0: still one (++count >= weight).
        for (int i = 0; i < 256; i += 4) {
            assertArrayEquals(new RealServer[] {a, a, b, c}, java.util.Arrays.copyOfRange(table, i, i + 4));
        }
        assertArrayEquals(new RealServer[256], SourceHashing.fill(List.of()));
    }

    @Test
    void sourceAddressPicksTheBucket() {
        sh.update(List.of(a, b, c));
        assertSame(a, sh.schedule(new TestFlow().from("192.168.0.1", 1234)));     // bucket 192: A
        assertSame(b, sh.schedule(new TestFlow().from("10.1.2.3", 1234)));        // bucket 2: B
        assertSame(a, sh.schedule(new TestFlow().from("203.0.113.7", 1234)));     // bucket 124: A
        assertSame(b, sh.schedule(new TestFlow().from("198.51.100.20", 1234)));   // bucket 162: B
        b.overloaded = true;
        assertNull(sh.schedule(new TestFlow().from("10.1.2.3", 1234)));
    }

    @Test
    void shPortAddsTheSourcePortOfTcpUdpSctp() {
        sh.update(List.of(a, b, c));
        context.flags(SchedulerContext.SCHED2);
        assertSame(a, sh.schedule(new TestFlow().from("192.168.0.1", 1234)));     // bucket 24
        assertNull(sh.schedule(new TestFlow().from("10.1.2.3", 1234)));           // bucket 91: C, quiescent
        assertSame(b, sh.schedule(new TestFlow().from("198.51.100.20", 1234)));   // bucket 250
        final TestFlow icmp = new TestFlow().from("10.1.2.3", 1234);
        icmp.protocol = 1;                                                         // no ports: bucket 2
        assertSame(b, sh.schedule(icmp));
    }

    @Test
    void shFallbackRehashesWithAnOffset() {
        sh.update(List.of(a, b, c));
        context.flags(SchedulerContext.SCHED1 | SchedulerContext.SCHED2);
        // ihash 91 (C); offset 0: (91 + 91) & 255 = 182, 182 mod 4 = 2: B.
        assertSame(b, sh.schedule(new TestFlow().from("10.1.2.3", 1234)));
        a.weight = 0;
        b.weight = 0;
        assertNull(sh.schedule(new TestFlow().from("10.1.2.3", 1234)));
    }

    @Test
    void emptyServiceHasNoDestination() {
        assertNull(sh.schedule(new TestFlow().from("10.1.2.3", 1)));
        context.flags(SchedulerContext.SCHED1);
        sh.update(List.of());
        assertNull(sh.schedule(new TestFlow().from("10.1.2.3", 1)));
    }
}
