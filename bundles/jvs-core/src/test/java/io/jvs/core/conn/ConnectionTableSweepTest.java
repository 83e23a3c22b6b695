package io.jvs.core.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jvs.api.DestinationConfig;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.core.stats.Counters;
import io.jvs.core.svc.DestinationState;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The expiry sweep reads only the slots ever used, and a step of that many sees every connection. */
class ConnectionTableSweepTest {
    private static final int TCP = 6;
    private static final int VIP = 0x0A4D_0164;
    private static final int CLIENT = 0x0A4D_0102;

    private final AtomicLong clock = new AtomicLong(1_000);
    private final ConnectionTable table = new ConnectionTable(1 << 16, clock::get, (owner, flags, state) -> { });
    private final DestinationState owner;

    ConnectionTableSweepTest() throws Exception {
        owner = new DestinationState(DestinationConfig.of(new Endpoint(InetAddress.getByName("10.77.2.11"), 80),
                ForwardingMethod.MASQ, 1), new Counters());
    }

    @Test
    void highWaterIsTheMostEverInUseNotTheCapacity() {
        assertEquals(0, table.highWater());
        insert(3, 60);
        for (int i = 0; i < 3; i++) {
            table.remove(TCP, CLIENT, 1024 + i, VIP, 80);
        }
        insert(2, 60);  // the freed slots are used again
        assertEquals(3, table.highWater());
    }

    @Test
    void aStepOfHighWaterSlotsExpiresEveryExpiredConnectionWhereverTheLastStepStopped() {
        insert(10, 1);
        clock.addAndGet(2_000);
        assertEquals(10, table.expire(table.highWater()));
        assertEquals(0, table.size());
        table.expire(3);  // the cursor stops mid-way
        insert(10, 1);
        clock.addAndGet(2_000);
        assertEquals(10, table.expire(table.highWater()));
        assertEquals(0, table.size());
    }

    @Test
    void liveConnectionsSurviveTheSweepAndAnEmptyTableCostsNothing() {
        assertEquals(0, table.expire(1_000));
        insert(4, 60);
        clock.addAndGet(2_000);
        assertEquals(0, table.expire(1_000));
        assertEquals(4, table.size());
    }

    private void insert(final int n, final int timeoutSeconds) {
        final ConnectionView view = new ConnectionView();
        view.apply = false;  // no packet: the connection keeps the timeout given here
        for (int i = 0; i < n; i++) {
            assertEquals(true, table.insert(TCP, CLIENT, 1024 + i, VIP, 80, 0x0A4D_020B, 80, 0, 0, timeoutSeconds,
                    -1, 0, owner, view));
        }
    }
}
