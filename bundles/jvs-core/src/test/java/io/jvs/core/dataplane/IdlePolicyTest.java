package io.jvs.core.dataplane;

import static io.jvs.core.dataplane.IdlePolicy.NAP;
import static io.jvs.core.dataplane.IdlePolicy.SLEEP;
import static io.jvs.core.dataplane.IdlePolicy.SPIN;
import static io.jvs.core.dataplane.IdlePolicy.WORK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The worker's spin-or-sleep decision on a hand-driven clock (nanoseconds). */
class IdlePolicyTest {
    private static final long MS = 1_000_000L;
    private static final long US = 1_000L;

    @Test
    void lightTrafficSpinsThroughShortGapsThenSleeps() {
        final IdlePolicy p = new IdlePolicy(20_000, 20_000, 0, 0);
        assertEquals(SLEEP, p.next(0, 10 * US), "no frame yet: nothing to wait for");
        assertEquals(WORK, p.next(1, 20 * US));
        assertEquals(SPIN, p.next(0, 30 * US));
        assertEquals(SPIN, p.next(0, 10 * MS));
        assertEquals(WORK, p.next(2, 10 * MS + 20 * US));
        assertFalse(p.busy());
        assertEquals(SPIN, p.next(0, 30 * MS));
        assertEquals(SLEEP, p.next(0, 30 * MS + 21 * US), "20 ms after the last frame");
    }

    @Test
    void theDefaultSpinsFiftyMicroseconds() {
        final DataplaneSettings d = DataplaneSettings.DEFAULTS;
        final IdlePolicy p = new IdlePolicy(d.busyPollMicros(), d.busyPollMaxPps(), 0, 0);
        assertEquals(WORK, p.next(3, 10 * US));
        assertEquals(SPIN, p.next(0, 59 * US));
        assertEquals(SLEEP, p.next(0, 60 * US));
    }

    @Test
    void heavyTrafficSleepsAsSoonAsTheQueuesAreEmpty() {
        final IdlePolicy p = new IdlePolicy(20_000, 20_000, 0, 0);
        // 64 frames every 100 us = 640k frames/s
        long t = 0;
        for (int i = 0; i < 20; i++) {
            t += 100 * US;
            assertEquals(WORK, p.next(64, t));
        }
        assertTrue(p.busy());
        assertEquals(SLEEP, p.next(0, t + US));
    }

    @Test
    void heavyTrafficNapsOnceBeforeSleeping() {
        final IdlePolicy p = new IdlePolicy(50, 20_000, 50, 0);
        long t = 0;
        for (int i = 0; i < 20; i++) {
            t += 100 * US;
            assertEquals(WORK, p.next(64, t));
        }
        assertTrue(p.busy());
        assertEquals(NAP, p.next(0, t + US), "empty queues under load: gather a batch first");
        assertEquals(WORK, p.next(5, t + 60 * US), "what landed during the nap");
        assertEquals(NAP, p.next(0, t + 61 * US), "a new batch, a new nap");
        assertEquals(SLEEP, p.next(0, t + 120 * US), "nothing landed during the nap: wait in poll(2)");
        assertEquals(SLEEP, p.next(0, t + 130 * US));
    }

    @Test
    void lightTrafficNeverNaps() {
        final IdlePolicy p = new IdlePolicy(50, 20_000, 50, 0);
        assertEquals(WORK, p.next(1, 10 * US));
        assertEquals(SPIN, p.next(0, 20 * US));
        assertEquals(SLEEP, p.next(0, 70 * US));
        assertEquals(WORK, p.next(1, 5 * MS));
        assertEquals(SPIN, p.next(0, 5 * MS + 10 * US), "5 frames in 5 ms is light traffic");
    }

    @Test
    void theLoadDecidesPerWindow() {
        final IdlePolicy p = new IdlePolicy(20_000, 20_000, 0, 0);
        // 30 frames in the first window: 30k frames/s, busy
        p.next(30, 500 * US);
        p.next(0, MS);
        assertTrue(p.busy());
        // 10 frames in the next: 10k frames/s, light again
        p.next(10, 1500 * US);
        assertEquals(SLEEP, p.next(0, 1600 * US), "the decision waits for the window's end");
        assertEquals(SPIN, p.next(0, 2 * MS));
        assertFalse(p.busy());
    }

    @Test
    void aLongSleepIsNotBusy() {
        final IdlePolicy p = new IdlePolicy(20_000, 20_000, 0, 0);
        p.next(1_000_000, 100 * US);
        assertEquals(SLEEP, p.next(0, 5_000 * MS));
        assertFalse(p.busy());
    }

    @Test
    void zeroMeansNeverSpin() {
        final IdlePolicy noSpin = new IdlePolicy(0, 20_000, 0, 0);
        noSpin.next(1, US);
        assertEquals(SLEEP, noSpin.next(0, 2 * US));
        final IdlePolicy noRate = new IdlePolicy(20_000, 0, 0, 0);
        noRate.next(1, US);
        noRate.next(0, 2 * MS);
        assertTrue(noRate.busy());
        assertEquals(SLEEP, noRate.next(0, 3 * MS));
    }
}
