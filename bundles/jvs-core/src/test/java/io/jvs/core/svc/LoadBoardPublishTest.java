package io.jvs.core.svc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.DestinationConfig;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceKey;
import io.jvs.api.TableCommand;
import io.jvs.api.TableCommand.AddDestination;
import io.jvs.api.TableCommand.AddService;
import io.jvs.api.TunnelChecksum;
import io.jvs.api.TunnelType;
import io.jvs.api.sched.LoadBoard;
import io.jvs.sched.classic.WeightedLeastConnection;
import io.jvs.testkit.sched.TestFlow;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The core pushes every change of a realserver into the service's LoadBoard, and wlc decides on it. */
class LoadBoardPublishTest {
    private final ServiceTable table = new ServiceTable();
    private final ServiceKey key = key();
    private final TestFlow flow = new TestFlow().from("192.0.2.1", 40000).to("10.0.0.1");

    private static ServiceKey key() {
        try {
            return ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.1"), 80);
        } catch (final Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static DestinationConfig dest(final String rip, final int weight, final int upper) throws Exception {
        return new DestinationConfig(new Endpoint(InetAddress.getByName(rip), 80), ForwardingMethod.MASQ, weight,
                upper, 0, TunnelType.IPIP, 0, TunnelChecksum.NOCSUM);
    }

    /** Three realservers a (weight 1), b (2), c (3) under wlc; the list is c, b, a (newest first). */
    private Service wlcService(final int upperOfC) throws Exception {
        table.addScheduler(new WeightedLeastConnection());
        table.apply(List.of(new AddService(new ServiceConfig(key, "wlc", false, 0, ServiceConfig.HOST_MASK_V4,
                        false, 0)),
                new AddDestination(key, dest("10.1.0.1", 1, 0)), new AddDestination(key, dest("10.1.0.2", 2, 0)),
                new AddDestination(key, dest("10.1.0.3", 3, upperOfC))));
        return table.snapshot().services().get(key);
    }

    private static DestinationState state(final Service svc, final String rip) {
        return svc.destinations().stream().filter(d -> d.config().endpoint().address().getHostAddress().equals(rip))
                .findFirst().orElseThrow().state();
    }

    private static void open(final DestinationState d, final int active, final int inactive) {
        for (int i = 0; i < active + inactive; i++) {
            d.bind();
        }
        for (int i = 0; i < active; i++) {
            d.activated(true);
        }
    }

    @Test
    void shouldScheduleOnLiveCountsPushedByConnectionEvents() throws Exception {
        final Service svc = wlcService(0);
        final DestinationState a = state(svc, "10.1.0.1");
        final DestinationState b = state(svc, "10.1.0.2");
        final DestinationState c = state(svc, "10.1.0.3");
        assertSame(c, svc.state().schedule(flow), "all idle: the first in list order, c");
        open(c, 1, 0); // c: 256/3 = 85.3
        open(b, 0, 100); // b: 100/2 = 50
        assertSame(a, svc.state().schedule(flow), "a: 0/1 is the least");
        open(a, 0, 60); // a: 60/1
        assertSame(b, svc.state().schedule(flow), "b: 50 < 60 < 85.3");
        b.activated(true); // b: (256 + 99)/2 = 177.5
        assertSame(a, svc.state().schedule(flow), "a: 60 < 85.3 < 177.5");
        a.unbind(false);
        a.activated(true); // a: 256 + 58 = 314
        assertSame(c, svc.state().schedule(flow), "c: 85.3 is now the least");
    }

    @Test
    void shouldPushOverloadQuiescenceEditsAndDeletion() throws Exception {
        final Service svc = wlcService(2);
        final DestinationState a = state(svc, "10.1.0.1");
        final DestinationState b = state(svc, "10.1.0.2");
        final DestinationState c = state(svc, "10.1.0.3");
        assertSame(c, svc.state().schedule(flow));
        c.bind();
        c.bind(); // 2 connections reach c's upper threshold of 2
        assertTrue(c.isOverloaded());
        assertSame(b, svc.state().schedule(flow), "c overloaded: b and a idle, b first in list order");
        c.unbind(false); // 1 * 4 < 2 * 3 clears the flag
        open(b, 0, 10);
        open(a, 0, 10);
        assertSame(c, svc.state().schedule(flow), "c back: 1/3 < 10/2 < 10/1");
        table.apply(new TableCommand.EditDestination(key, dest("10.1.0.3", 0, 2)));
        assertSame(b, svc.state().schedule(flow), "c quiescent: 10/2 < 10/1");
        table.apply(new TableCommand.EditDestination(key, dest("10.1.0.1", 40, 0)));
        assertSame(a, svc.state().schedule(flow), "a weight 40: 10/40 is the least");
        table.apply(new TableCommand.DeleteDestination(key, a.config().endpoint()));
        a.unbind(false); // a connection of the deleted realserver ends: no board sees it
        assertSame(b, svc.state().schedule(flow), "a deleted, c quiescent");
        b.activated(true);
        b.activated(true); // b: 2 * 256 + 8 = 520 over weight 2, still the only one eligible
        assertSame(b, svc.state().schedule(flow));
        table.apply(new TableCommand.EditDestination(key, dest("10.1.0.3", 1, 0)));
        assertSame(c, svc.state().schedule(flow), "c weight 1 again: 1/1 < 520/2");
    }

    @Test
    void shouldKeepTheBoardEqualToTheStateUnderConcurrentEvents() throws Exception {
        final Service svc = wlcService(40);
        final List<DestinationState> states = svc.destinations().stream().map(Destination::state).toList();
        final AtomicBoolean failed = new AtomicBoolean();
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            final long seed = t;
            threads.add(new Thread(() -> {
                final SplittableRandom random = new SplittableRandom(seed);
                try {
                    start.await();
                    for (int i = 0; i < 200_000; i++) {
                        final DestinationState d = states.get(random.nextInt(states.size()));
                        d.bind();
                        d.activated(true);
                        if (random.nextBoolean()) {
                            d.activated(false);
                            d.unbind(false);
                        } else {
                            d.unbind(true);
                        }
                        if (i % 1000 == 0) {
                            svc.state().schedule(new TestFlow());
                        }
                    }
                } catch (final RuntimeException | InterruptedException e) {
                    failed.set(true);
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        // Edit weights and thresholds meanwhile: each edit builds a new board the events must follow.
        for (int i = 0; i < 50; i++) {
            table.apply(new TableCommand.EditDestination(key, dest("10.1.0.2", 1 + i % 5, i % 2 == 0 ? 0 : 30)));
            Thread.sleep(2);
        }
        for (final Thread t : threads) {
            t.join(60_000);
        }
        assertTrue(!failed.get(), "no worker failed");
        final Service now = table.snapshot().services().get(key);
        assertNotSame(svc.destinations(), now.destinations(), "edits replaced the list");
        final LoadBoard truth = LoadBoard.of(now.destinations().stream().map(Destination::state).toList());
        final LoadBoard pushed = board(now);
        for (int i = 0; i < truth.size(); i++) {
            assertEquals(0, truth.get(i).activeConns() + truth.get(i).inactiveConns(), "every connection went");
            assertEquals(truth.load(i), pushed.load(i), "load word of " + truth.get(i));
            assertEquals(truth.active(i), pushed.active(i), "active word of " + truth.get(i));
        }
    }

    /** The board the service's scheduler holds (a pushed one, so reading it does not pull). */
    private static LoadBoard board(final Service svc) throws Exception {
        final var field = ServiceState.class.getDeclaredField("board");
        field.setAccessible(true);
        return (LoadBoard) field.get(svc.state());
    }
}
