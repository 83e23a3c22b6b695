package io.jvs.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.core.stats.Counters.Rates;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expected values are worked out by hand from ip_vs_est.c: rate = delta << 9 (bytes: << 4), avg += (rate - avg)
 * >> 2, shown as (avg + 0x1FF) >> 10 (bytes: (avg + 0xF) >> 5). For 1000 packets per 2 s: rate = 512000, and
 * avg runs 128000, 224000, 296000, 350000, 390500, ... shown as 125, 219, 289, 342, 381, ...
 */
class RateEstimatorTest {
    private final Counters counters = new Counters();
    private final RateEstimator estimator = new RateEstimator(action -> action.accept(counters));

    private void packetsIn(final int packets, final int bytesEach) {
        for (int i = 0; i < packets; i++) {
            counters.addIn(bytesEach);
        }
    }

    private List<Long> inPpsOverTicks(final int ticks, final int packetsPerTick) {
        final List<Long> shown = new ArrayList<>();
        for (int i = 0; i < ticks; i++) {
            packetsIn(packetsPerTick, 1);
            estimator.tick();
            shown.add(counters.rates().inPps());
        }
        return shown;
    }

    @Test
    void shouldConvergeTowardThePacketRateInTheKernelsSteps() {
        assertEquals(List.of(125L, 219L, 289L, 342L, 381L, 411L, 433L, 450L, 462L, 472L, 479L, 484L, 488L,
                491L, 493L, 495L, 496L, 497L, 498L, 498L, 499L, 499L, 499L, 499L, 500L, 500L, 500L, 500L),
                inPpsOverTicks(28, 1000));
    }

    @Test
    void shouldEstimateBytesScaledBy32() {
        // 150000 bytes per 2 s: rate 2400000, avg 600000 then 1050000, shown 18750 then 32812 (75000 B/s).
        packetsIn(100, 1500);
        estimator.tick();
        assertEquals(18750, counters.rates().inBps());
        packetsIn(100, 1500);
        estimator.tick();
        assertEquals(32812, counters.rates().inBps());
        assertEquals(0, counters.rates().outBps());
    }

    @Test
    void shouldEstimateEachValueOnItsOwn() {
        // 20 connections, 8 packets out of 60 bytes per 2 s: cps avg 2560 -> 2 (2.5: adding 0x1FF rounds a
        // half down), outpps avg 1024 -> 1, outbps avg 1920 -> 60.
        for (int i = 0; i < 20; i++) {
            counters.addConnection();
        }
        for (int i = 0; i < 8; i++) {
            counters.addOut(60);
        }
        estimator.tick();
        assertEquals(new Rates(2, 0, 1, 0, 60), counters.rates());
    }

    @Test
    void shouldShowHalfAPacketPerSecondAsZero() {
        // 1 packet per 2 s: avg 128, 224, ... settles at 509 (the step floors to 0 below 4), shown 0.
        assertEquals(List.of(0L), inPpsOverTicks(40, 1).subList(39, 40));
    }

    @Test
    void shouldDecayToZeroWhenTrafficStops() {
        assertEquals(450L, inPpsOverTicks(8, 1000).get(7));
        // avg 460742 loses a quarter per tick: 345556, 259167, 194375, 145781.
        assertEquals(List.of(337L, 253L, 190L, 142L), inPpsOverTicks(4, 0));
        assertEquals(List.of(0L), inPpsOverTicks(40, 0).subList(39, 40));
    }

    @Test
    void shouldRestartFromZeroAfterZeroing() {
        inPpsOverTicks(10, 1000);
        counters.zero();
        assertEquals(Rates.ZERO, counters.rates());
        assertEquals(0, counters.inPkts());
        // Without the estimator's reset its last value (10000) would make this a negative rate.
        assertEquals(List.of(125L, 219L), inPpsOverTicks(2, 1000));
    }

    @Test
    void shouldRunOnADaemonThreadUntilClosed() throws InterruptedException {
        estimator.start();
        assertTrue(estimator.isRunning());
        final List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("jvs-estimator")).toList();
        assertEquals(1, threads.size(), "one estimator thread: " + threads);
        assertTrue(threads.get(0).isDaemon(), "a daemon: it must not keep the JVM alive");
        estimator.close();
        assertFalse(estimator.isRunning());
        threads.get(0).join(2000);
        assertFalse(threads.get(0).isAlive(), "the thread ended with close()");
        estimator.start();
        assertFalse(estimator.isRunning(), "closed for good");
    }
}
