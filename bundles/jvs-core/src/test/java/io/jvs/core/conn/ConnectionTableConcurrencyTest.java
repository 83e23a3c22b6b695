package io.jvs.core.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jvs.api.DestinationConfig;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.core.stats.Counters;
import io.jvs.core.svc.DestinationState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/** Workers insert and remove under different stripe locks at once; the table's size still counts each one. */
class ConnectionTableConcurrencyTest {
    private static final int THREADS = 4;
    private static final int EACH = 50_000;
    private static final int TCP = 6;
    private static final int VIP = 0x0A4D_0164;

    @Test
    void sizeCountsEveryInsertAndRemovalOfConcurrentWorkers() throws Exception {
        final ConnectionTable table = new ConnectionTable(THREADS * EACH, () -> 1_000L, (owner, flags, state) -> { });
        final DestinationState owner = new DestinationState(DestinationConfig.of(
                new Endpoint(InetAddress.getByName("10.77.2.11"), 8080), ForwardingMethod.MASQ, 1), new Counters());
        inParallel(t -> {
            final ConnectionView view = new ConnectionView();
            for (int i = 0; i < EACH; i++) {
                if (!table.insert(TCP, client(t, i), port(i), VIP, 80, 0x0A4D_020B, 8080, 0, 0, 60, -1, 0, owner,
                        view)) {
                    throw new AssertionError("insert " + t + "/" + i + " refused");
                }
            }
        });
        assertEquals(THREADS * EACH, table.size());
        inParallel(t -> {
            for (int i = 0; i < EACH; i++) {
                table.remove(TCP, client(t, i), port(i), VIP, 80);
            }
        });
        assertEquals(0, table.size());
        assertFalse(table.inbound(TCP, client(0, 0), port(0), VIP, 80, new ConnectionView()));
    }

    private static int client(final int thread, final int i) {
        return 0x0A4D_0100 + thread * 4 + i / 60_000;
    }

    private static int port(final int i) {
        return 1024 + i % 60_000;
    }

    private static void inParallel(final IntConsumer body) throws InterruptedException {
        final CountDownLatch start = new CountDownLatch(1);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            final int id = t;
            final Thread thread = new Thread(() -> {
                try {
                    start.await();
                    body.accept(id);
                } catch (final Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (final Thread thread : threads) {
            thread.join(60_000);
            assertFalse(thread.isAlive(), "worker still running");
        }
        assertNull(failure.get());
    }
}
