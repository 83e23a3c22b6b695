package io.jvs.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jvs.api.VirtualServerTable;
import io.jvs.api.sched.Scheduler;
import io.jvs.core.conn.ConnectionView;
import io.jvs.core.svc.ServiceState;
import io.jvs.core.svc.ServiceTable;
import io.jvs.testkit.wire.TestFrames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Issue 4, hot swap: the scheduler bundle of a busy service is updated, stopped and started again while client
 * threads open connections through the core's packet path; no connection is lost, none moves. A framework of its
 * own (the bundle is left updated), like every test class here.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SchedulerHotSwapTest {
    private static final int THREADS = 4;
    /** {@code update()} rounds, and as many {@code stop()}/{@code start()} rounds. */
    private static final int ROUNDS = 3;
    /** New flows each thread opens at least between two swap steps, so every step happens under load. */
    private static final int PROGRESS = 2_000;
    /** Fallback decisions to see while the bundle is stopped: the gap is crossed by real traffic. */
    private static final int FALLBACK_PROGRESS = 1_000;
    /**
     * Bound of each thread's flows (60,000 client ports on each of 8 client addresses); the connection table holds
     * them all. About 5 s of this machine's load: the swaps need well under one.
     */
    private static final int MAX_FLOWS = 480_000;
    private static final int VPORT = 80;

    @Configuration
    public Option[] config() throws IOException {
        return Feature.options();
    }

    @Test
    public void schedulerBundleSwappedUnderLoadLosesNoConnectionAndMovesNone() throws Exception {
        final ServiceTable table = (ServiceTable) Feature.await(VirtualServerTable.class);
        final Bundle classic = Feature.ours("jvs-sched-classic");
        table.apply(MemoryDataplane.natService(VPORT, "rr"));
        final long started = System.nanoTime();
        try (MemoryDataplane net = new MemoryDataplane(table, THREADS, THREADS * MAX_FLOWS)) {
            final ServiceState state = net.state(VPORT);
            assertFalse("rr is registered: the service starts on it", state.isFallback());
            final AtomicBoolean stop = new AtomicBoolean();
            final List<Client> clients = new ArrayList<>();
            final List<Thread> threads = new ArrayList<>();
            for (int q = 0; q < THREADS; q++) {
                final Client c = new Client(net, q, stop);
                clients.add(c);
                threads.add(new Thread(c, "client-" + q));
            }
            threads.forEach(Thread::start);
            int updates = 0;
            int restarts = 0;
            try {
                awaitProgress(clients, "warm-up");
                for (int round = 0; round < ROUNDS; round++) {
                    classic.update();                 // same jar: rr unregistered, then registered again
                    updates++;
                    awaitBound(state, "after update " + updates);
                    awaitProgress(clients, "after update " + updates);

                    classic.stop();                   // rr gone: the service schedules on the fallback
                    final long before = state.fallbackDecisions();
                    assertTrue("no fallback decisions while jvs-sched-classic was stopped",
                            Feature.within(Feature.WAIT_MS, () -> state.fallbackDecisions() >= before + FALLBACK_PROGRESS));
                    assertTrue(state.isFallback());
                    classic.start();
                    restarts++;
                    awaitBound(state, "after start " + restarts);
                    awaitProgress(clients, "after start " + restarts);
                }
            } finally {
                stop.set(true);
                for (final Thread t : threads) {
                    t.join(Feature.WAIT_MS);
                    assertFalse(t.getName() + " did not stop", t.isAlive());
                }
            }

            long syns = 0;
            long lost = 0;
            long acks = 0;
            long moved = 0;
            long acksDropped = 0;
            for (final Client c : clients) {
                assertNull(c + " failed", c.failure);
                syns += c.syns;
                lost += c.lost;
                acks += c.acks;
                moved += c.moved;
                acksDropped += c.acksDropped;
            }
            final long connections = net.dp.connections().size();
            final long[] walked = {0};
            net.dp.connections().forEach(new ConnectionView(), () -> walked[0]++);
            final long counted = table.snapshot().services().get(MemoryDataplane.key(VPORT)).counters().conns();
            final long fallback = state.fallbackDecisions();
            System.out.printf("hot swap: %d threads, %d SYNs, %d connections (service counter %d), %d lost, "
                    + "%d ACKs on earlier flows, %d moved, %d ACKs dropped, %d fallback decisions, "
                    + "%d swaps (%d update, %d stop/start), %d ms%n", THREADS, syns, connections, counted, lost, acks,
                    moved, acksDropped, fallback, updates + restarts, updates, restarts,
                    (System.nanoTime() - started) / 1_000_000);

            assertEquals("SYNs that did not come out rewritten to a realserver", 0, lost);
            assertEquals("established connections that went to another realserver", 0, moved);
            assertEquals("established connections whose ACK did not come out", 0, acksDropped);
            assertEquals("frames sent back to clients (ICMP errors)", 0, net.unexpected());
            assertTrue("ACKs were re-sent on earlier flows", acks > 0);
            assertEquals("connections found walking the table vs SYNs sent", syns, walked[0]);
            assertEquals("connections the table counts vs SYNs sent", syns, connections);
            assertEquals("connections counted by the service vs SYNs sent", syns, counted);
            assertTrue("fallback decisions while the bundle was stopped", fallback >= ROUNDS * FALLBACK_PROGRESS);

            // Back on a registered rr of the classic bundle: no more fallback decisions, rr's rotation.
            assertEquals(Bundle.ACTIVE, classic.getState());
            assertEquals("rr registered by", Set.of(classic.getBundleId()), rrRegistrants());
            assertFalse(state.isFallback());
            final Set<Integer> chosen = new TreeSet<>();
            final int client = TestFrames.ip("10.77.1.99");     // no client thread's address
            for (int i = 0; i < 3; i++) {
                chosen.add(MemoryDataplane.realserverOf(net.send(0, MemoryDataplane.syn(client, 1024 + i, VPORT)),
                        client, 1024 + i));
            }
            assertEquals("three SYNs after the swaps, rr", Set.of(0, 1, 2), chosen);
            assertEquals("fallback decisions after the bundle came back", fallback, state.fallbackDecisions());
        }
    }

    private static void awaitBound(final ServiceState state, final String when) throws InterruptedException {
        assertTrue("still on the fallback " + when, Feature.within(Feature.WAIT_MS, () -> !state.isFallback()));
    }

    /** Waits until every client opened {@link #PROGRESS} more flows; fails if one stopped or the bound passed. */
    private static void awaitProgress(final List<Client> clients, final String when) throws InterruptedException {
        final int[] from = new int[clients.size()];
        for (int i = 0; i < from.length; i++) {
            from[i] = clients.get(i).syns;
        }
        final boolean progressed = Feature.within(Feature.WAIT_MS, () -> {
            for (int i = 0; i < from.length; i++) {
                final Client c = clients.get(i);
                if (c.failure != null || c.syns >= MAX_FLOWS || c.syns < from[i] + PROGRESS) {
                    return false;
                }
            }
            return true;
        });
        assertTrue("clients did not open " + PROGRESS + " flows each " + when + ": " + clients, progressed);
    }

    private static Set<Long> rrRegistrants() throws Exception {
        final ServiceReference<?>[] refs = Feature.context().getServiceReferences(Scheduler.class.getName(),
                "(" + Scheduler.PROPERTY + "=rr)");
        assertNotNull("no rr registered", refs);
        final Set<Long> ids = new TreeSet<>();
        for (final ServiceReference<?> r : refs) {
            ids.add(r.getBundle().getBundleId());
        }
        return ids;
    }

    /**
     * One client thread on its own queue: a new flow per SYN, whose rewritten SYN must come out to a realserver,
     * and after every fourth SYN an ACK on one of its earlier flows, which must go where that flow went.
     */
    private static final class Client implements Runnable {
        private final MemoryDataplane net;
        private final int queue;
        private final AtomicBoolean stop;
        /** Realserver of each flow, -1 when its SYN was lost. */
        private final byte[] realserver = new byte[MAX_FLOWS];
        /** Flows opened; written by the thread only, read for progress. */
        volatile int syns;
        long lost;
        long acks;
        long moved;
        long acksDropped;
        volatile Throwable failure;

        Client(final MemoryDataplane net, final int queue, final AtomicBoolean stop) {
            this.net = net;
            this.queue = queue;
            this.stop = stop;
        }

        /** Client address of flow {@code f}: 60,000 ports per address, 16 addresses per thread from 10.77.1.10 on. */
        static int address(final int queue, final int f) {
            return TestFrames.ip("10.77.1.10") + queue * 16 + f / 60_000;
        }

        static int port(final int f) {
            return 1024 + f % 60_000;
        }

        @Override
        public void run() {
            try {
                int random = queue * 7919 + 1;
                for (int f = 0; f < MAX_FLOWS && !stop.get(); f++) {
                    final int client = address(queue, f);
                    final int rs = MemoryDataplane.realserverOf(
                            net.send(queue, MemoryDataplane.syn(client, port(f), VPORT)), client, port(f));
                    realserver[f] = (byte) rs;
                    if (rs < 0) {
                        lost++;
                    }
                    syns = f + 1;
                    if ((f & 3) == 3) {
                        random = random * 1_103_515_245 + 12_345;
                        final int g = (random >>> 1) % (f + 1);
                        if (realserver[g] >= 0) {
                            acks++;
                            final int c = address(queue, g);
                            final int again = MemoryDataplane.realserverOf(
                                    net.send(queue, MemoryDataplane.ack(c, port(g), VPORT)), c, port(g));
                            if (again < 0) {
                                acksDropped++;
                            } else if (again != realserver[g]) {
                                moved++;
                            }
                        }
                    }
                }
            } catch (final Throwable e) {
                failure = e;
            }
        }

        @Override
        public String toString() {
            return "client " + queue + " (" + syns + " flows" + (failure == null ? "" : ", failed: " + failure) + ")";
        }
    }
}
