package io.jvs.sched.hashing;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.ServiceScheduler;
import io.jvs.testkit.sched.TestContext;
import io.jvs.testkit.sched.TestFlow;
import io.jvs.testkit.sched.TestServer;

class DestinationHashingTest {
    private final TestServer a = new TestServer("A", "10.0.0.1", 80, 1);
    private final TestServer b = new TestServer("B", "10.0.0.2", 80, 9);
    private final TestServer c = new TestServer("C", "10.0.0.3", 80, 1);
    private final ServiceScheduler dh = new DestinationHashing().create(new TestContext());

    @Test
    void bucketsAreDealtOnePerDestinationIgnoringWeights() {
        final RealServer[] table = DestinationHashing.fill(List.of(a, b, c));
        for (int i = 0; i < 256; i++) {
            assertSame(List.of(a, b, c).get(i % 3), table[i]);
        }
    }

    @Test
    void destinationAddressPicksTheBucket() {
        dh.update(List.of(a, b, c));
        assertSame(a, dh.schedule(new TestFlow().to("192.168.0.1")));     // bucket 192, 192 mod 3 = 0
        assertSame(c, dh.schedule(new TestFlow().to("10.1.2.3")));        // bucket 2
        assertSame(b, dh.schedule(new TestFlow().to("203.0.113.7")));     // bucket 124, mod 3 = 1
        c.weight = 0;
        assertNull(dh.schedule(new TestFlow().to("10.1.2.3")));
        a.overloaded = true;
        assertNull(dh.schedule(new TestFlow().to("192.168.0.1")));
        dh.update(List.of());
        assertNull(dh.schedule(new TestFlow().to("203.0.113.7")));
    }
}
