package io.jvs.core.dataplane;

import static io.jvs.core.dataplane.MemoryDirector.CLIENT;
import static io.jvs.core.dataplane.MemoryDirector.CLIENT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.EXT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.VIP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.core.os.ContextSwitches;
import io.jvs.testkit.wire.TestFrames;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The housekeeping thread wakes as seldom as the table allows, and at once when the control plane changes. */
class HousekeepingTest {
    private static final String THREAD = "jvs-housekeeping";

    @Test
    void sweepStepsGrowWithTheSlotsEverUsedUpToTenASecond() {
        assertEquals(1, Dataplane.sweepSteps(0));
        assertEquals(1, Dataplane.sweepSteps(Dataplane.SWEEP_SLOTS));
        assertEquals(2, Dataplane.sweepSteps(Dataplane.SWEEP_SLOTS + 1));
        assertEquals(10, Dataplane.sweepSteps(1 << 20));
        assertEquals(10, Dataplane.sweepSteps(Integer.MAX_VALUE));
    }

    @Test
    void aTableUsedBeyondOneSweepIsSweptInShorterSteps() throws Exception {
        try (MemoryDirector d = new MemoryDirector(DataplaneSettings.DEFAULTS.withConnections(1 << 17))) {
            d.service(Protocol.TCP, 80, "rr", 0);
            d.real(Protocol.TCP, 80, 0, 8080, ForwardingMethod.MASQ, 1);
            d.learnNeighbours();
            assertEquals(1000, d.dp.housekeeping(), "an unused table: one step a second");
            final int perClient = 40_000;
            for (int c = 0; c < 2; c++) {
                for (int port = 1; port <= perClient; port++) {
                    assertNotNull(d.fromClient(TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT + c, port, VIP, 80,
                            TestFrames.SYN, 0)), "SYN forwarded");
                }
            }
            assertEquals(2 * perClient, d.dp.connections().size());
            assertEquals(500, d.dp.housekeeping(), "80,000 slots in use: two steps a second");
        }
    }

    @Test
    void anIdleHousekeeperWakesOnceASecondAndAtOnceForANewVip() throws Exception {
        try (MemoryDirector d = new MemoryDirector()) {
            d.dp.start();
            Thread.sleep(150);
            final long before = ContextSwitches.of(THREAD);
            Thread.sleep(2000);
            final long woken = ContextSwitches.of(THREAD) - before;
            assertTrue(woken <= 4, "the idle housekeeper was switched in " + woken + " times in 2 s");

            final long sent = d.ext.controlSent();
            final long start = System.nanoTime();
            d.service(Protocol.TCP, 80, "rr", 0);
            while (d.ext.controlSent() == sent && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3)) {
                Thread.sleep(1);
            }
            final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(d.ext.controlSent() > sent, "no gratuitous ARP for the new VIP");
            assertTrue(millis < 500, "the new VIP was announced after " + millis + " ms, not at once");
            final ByteBuffer garp = ByteBuffer.wrap(d.ext.lastControl());
            assertEquals(0x0806, garp.getShort(12) & 0xFFFF, "an ARP frame");
            assertEquals(VIP, garp.getInt(28), "announcing the VIP");
            assertEquals(VIP, garp.getInt(38), "gratuitous: target and sender are the VIP");
        }
    }
}
