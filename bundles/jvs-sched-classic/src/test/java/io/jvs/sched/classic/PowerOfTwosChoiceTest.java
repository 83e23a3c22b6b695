package io.jvs.sched.classic;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.ServiceScheduler;
import io.jvs.testkit.sched.TestContext;
import io.jvs.testkit.sched.TestFlow;
import io.jvs.testkit.sched.TestServer;

class PowerOfTwosChoiceTest {
    private static final Flow FLOW = new TestFlow().from("192.0.2.1", 1234).to("198.51.100.1");
    private final TestContext context = new TestContext();
    private final ServiceScheduler twos = new PowerOfTwosChoice().create(context);
    private final TestServer a = new TestServer("A", 1).conns(1, 0);   // overhead 256
    private final TestServer b = new TestServer("B", 2).conns(1, 0);   // 256
    private final TestServer c = new TestServer("C", 3);               // 0

    @Test
    void picksTwoByWeightAndKeepsTheLessLoaded() {
        twos.update(List.of(a, b, c));                                  // total 1 + 2 + 3 + 1 = 7
        context.randoms(0, 6);                                          // r1 0: A; r2 6 -> 5, 3, 0: C
        assertSame(c, twos.schedule(FLOW));                             // 3 * 256 > 1 * 0
        context.randoms(3, 1);                                          // r1 3 -> 2, 0: B; r2 1 -> 0: A
        assertSame(b, twos.schedule(FLOW));                             // 1 * 256 > 2 * 256 is false
        context.randoms(7, 8);                                          // 7 % 7 = 0: A; 8 % 7 = 1: A
        assertSame(a, twos.schedule(FLOW));
        context.randoms(-1, 2);                                         // 0xFFFFFFFF % 7 = 3 (unsigned): B
        assertSame(b, twos.schedule(FLOW));
    }

    @Test
    void skipsOverloadedAndQuiescent() {
        twos.update(List.of(a, b, c));
        c.overloaded = true;
        b.weight = 0;                                                   // total 1 + 1 = 2
        context.randoms(1, 1);
        assertSame(a, twos.schedule(FLOW));
        a.overloaded = true;
        assertNull(twos.schedule(FLOW));
    }
}
