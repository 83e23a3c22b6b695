package io.jvs.sched.classic;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.jvs.api.sched.LoadBoard;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.ServiceScheduler;
import io.jvs.testkit.sched.TestContext;
import io.jvs.testkit.sched.TestFlow;
import io.jvs.testkit.sched.TestServer;

/**
 * The packet core's path: a board the core pushes every change into gives, decision by decision, the same choice
 * as reading the realservers themselves (a plain list, pulled), over random weights, overloads and counts; and the
 * ordered keys choose as the plain kernel loop that a board whose counts outgrew them falls back to.
 */
class PushedBoardTest {
    @ParameterizedTest
    @ValueSource(strings = {"lc", "wlc", "sed", "nq", "fo", "ovf", "twos"})
    void pushedBoardDecidesAsThePulledList(final String name) {
        final SplittableRandom random = new SplittableRandom(name.hashCode());
        final List<TestServer> servers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            servers.add(new TestServer("s" + i, "10.0.1." + (i + 1), 80, 1 + random.nextInt(5)));
        }
        final int[] randoms = new int[2];
        final TestContext pullContext = new TestContext();
        final TestContext pushContext = new TestContext();
        final ServiceScheduler pulled = ClassicSchedulers.byName(name).create(pullContext);
        final ServiceScheduler pushed = ClassicSchedulers.byName(name).create(pushContext);
        final TestContext wideContext = new TestContext();
        final ServiceScheduler plainLoop = ClassicSchedulers.byName(name).create(wideContext);
        pulled.update(servers);
        final LoadBoard board = LoadBoard.pushed(servers);
        pushed.update(board);
        // The same servers and a quiescent one at the tail with more connections than the keys hold.
        final List<TestServer> withHuge = new ArrayList<>(servers);
        withHuge.add(new TestServer("huge", "10.0.2.1", 80, 0).conns(1 << 24, 0));
        final LoadBoard wide = LoadBoard.pushed(withHuge);
        plainLoop.update(wide);
        assertTrue(board.ordered());
        assertFalse(wide.ordered());
        final TestFlow flow = new TestFlow().from("192.0.2.1", 1000).to("198.51.100.1");
        for (int round = 0; round < 5_000; round++) {
            final int i = random.nextInt(servers.size());
            final TestServer s = servers.get(i);
            switch (random.nextInt(4)) {
                case 0 -> s.weight = random.nextInt(8);          // 0: quiescent
                case 1 -> s.overloaded = random.nextInt(4) == 0;
                default -> s.conns(random.nextInt(6), random.nextInt(600));
            }
            board.set(i, s.weight, s.overloaded, s.activeConns(), s.inactiveConns());
            wide.set(i, s.weight, s.overloaded, s.activeConns(), s.inactiveConns());
            randoms[0] = random.nextInt();
            randoms[1] = random.nextInt();
            pullContext.randoms(randoms);
            pushContext.randoms(randoms);
            wideContext.randoms(randoms);
            final RealServer expected = pulled.schedule(flow);
            assertSame(expected, pushed.schedule(flow), name + " round " + round);
            assertSame(expected, plainLoop.schedule(flow), name + " plain loop, round " + round);
        }
    }
}
