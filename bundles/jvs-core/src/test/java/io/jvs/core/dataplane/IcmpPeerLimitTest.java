package io.jvs.core.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.testkit.wire.TestFrames;
import org.junit.jupiter.api.Test;

/** The per-host ICMP error limit against the kernel's {@code inet_peer_xrlim_allow} with its defaults. */
class IcmpPeerLimitTest {
    private static final int A = TestFrames.ip("192.0.2.1");
    private static final int B = TestFrames.ip("192.0.2.2");
    private static final long T0 = 1_000_000;

    private final IcmpPeerLimit limit = new IcmpPeerLimit(0);

    @Test
    void aNewHostGetsABurstOfSixThenOneASecond() {
        assertEquals(6, takes(A, T0, 20), "XRLIM_BURST_FACTOR: a host not seen before starts full");
        assertFalse(limit.take(A, T0 + 999), "999 ms earn 999 tokens, an error costs 1000");
        assertTrue(limit.take(A, T0 + 1000));
        assertFalse(limit.take(A, T0 + 1000));
        assertFalse(limit.take(A, T0 + 1999), "999 ms after the last one");
        assertTrue(limit.take(A, T0 + 2000));
    }

    @Test
    void aHostSavesAtMostSixErrors() {
        assertEquals(6, takes(A, T0, 6));
        assertEquals(6, takes(A, T0 + 3_600_000, 20), "an hour idle is worth 6, not 3600");
        assertEquals(2, takes(A, T0 + 3_602_000, 20));
    }

    @Test
    void hostsAreLimitedApart() {
        assertEquals(6, takes(A, T0, 20));
        assertEquals(6, takes(B, T0, 20), "A's spent burst is not B's");
        assertEquals(0, takes(A, T0, 20));
    }

    @Test
    void aHostSeenRecentlyKeepsItsPlaceWhileThousandsOfOthersComeAndGo() {
        assertEquals(6, takes(A, T0, 20));
        int sentToA = 0;
        for (int i = 1; i <= 20_000; i++) {
            final long now = T0 + i;
            limit.take(TestFrames.ip("10.0.0.0") + i, now);       // a new host every millisecond
            if (i % 100 == 0) {
                sentToA += takes(A, now, 1);
            }
        }
        assertEquals(20, sentToA, "one a second for 20 s: never forgotten, so never a fresh burst");
    }

    @Test
    void theTableIsBoundedAndAHostPushedOutStartsFullAgain() {
        assertEquals(6, takes(A, T0, 20));
        for (int i = 1; i <= 4 * IcmpPeerLimit.CAPACITY; i++) {
            limit.take(TestFrames.ip("10.0.0.0") + i, T0 + 1);
        }
        assertEquals(6, takes(A, T0 + 2, 20), "forgotten by its full set, as a peer the kernel collected");
    }

    private int takes(final int host, final long now, final int tries) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            if (limit.take(host, now)) {
                n++;
            }
        }
        return n;
    }
}
