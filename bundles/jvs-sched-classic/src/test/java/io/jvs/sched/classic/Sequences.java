package io.jvs.sched.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.ServiceScheduler;
import io.jvs.testkit.sched.TestFlow;
import io.jvs.testkit.sched.TestServer;

/** Runs a scheduler n times and spells the choices ("A B -" with - for none). */
final class Sequences {
    private static final TestFlow FLOW = new TestFlow().from("192.0.2.1", 40000).to("198.51.100.1");

    private Sequences() {
    }

    static String run(final ServiceScheduler scheduler, final int n) {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            final RealServer chosen = scheduler.schedule(FLOW);
            out.append(i == 0 ? "" : " ").append(chosen == null ? "-" : chosen.toString());
        }
        return out.toString();
    }

    static void expect(final String expected, final ServiceScheduler scheduler) {
        assertEquals(expected, run(scheduler, expected.split(" ").length));
    }

    /** The kernel's list after adding these destinations in this order: newest first. */
    static List<TestServer> added(final TestServer... inOrderOfAddition) {
        final List<TestServer> list = new ArrayList<>();
        for (final TestServer server : inOrderOfAddition) {
            list.add(0, server);
        }
        return list;
    }
}
