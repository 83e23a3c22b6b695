package io.jvs.core.neigh;

import static io.jvs.core.neigh.NeighbourTable.REACHABLE_MILLIS;
import static io.jvs.core.neigh.NeighbourTable.REQUEST_INTERVAL_MILLIS;
import static io.jvs.core.neigh.NeighbourTable.UCAST_PROBES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Learning, ARP rate limiting and ageing, driven by explicit times as the data plane's clock gives them. */
class NeighbourTableTest {
    private static final long T = 1_000_000;
    private static final int RS = ip(10, 77, 2, 11);
    private static final int GW = ip(10, 77, 1, 254);
    private static final long RS_MAC = 0x0200_0000_0011L;
    private static final long GW_MAC = 0x0200_0000_00FEL;
    /** When a neighbour confirmed at T and silent since fails, aged each second: an interval after its last probe. */
    private static final long SILENT_FAILS = T + REACHABLE_MILLIS + UCAST_PROBES * REQUEST_INTERVAL_MILLIS;

    private final NeighbourTable table = new NeighbourTable(16);

    private static int ip(final int a, final int b, final int c, final int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    /** The addresses {@code age} probes at {@code now}. */
    private List<Integer> age(final long now) {
        final List<Integer> probed = new ArrayList<>();
        table.age(now, probed::add);
        return probed;
    }

    /**
     * Ages {@code t} every {@code step} ms from {@code from} to {@code to}, both included, as housekeeping does;
     * returns when each probe went out, less T.
     */
    private static List<Long> ageEvery(final NeighbourTable t, final long step, final long from, final long to) {
        final List<Long> probes = new ArrayList<>();
        for (long now = from; now <= to; now += step) {
            final long at = now - T;
            t.age(now, ip -> probes.add(at));
        }
        return probes;
    }

    private List<Long> ageEachSecond(final long from, final long to) {
        return ageEvery(table, 1_000, from, to);
    }

    private Map<Integer, Long> entries() {
        return entries(table);
    }

    private static Map<Integer, Long> entries(final NeighbourTable t) {
        final Map<Integer, Long> seen = new HashMap<>();
        t.forEach((ip, mac) -> assertEquals(null, seen.put(ip, mac), "visited twice"));
        return seen;
    }

    @Test
    void unknownUntilLearnt() {
        assertEquals(-1, table.lookup(RS));
        assertTrue(table.shouldRequest(RS, T));
        assertEquals(-1, table.lookup(RS), "asking is not knowing");
        assertEquals(Map.of(), entries());
        table.learn(RS, RS_MAC, T + 10);
        assertEquals(RS_MAC, table.lookup(RS));
        assertEquals(-1, table.lookup(GW));
    }

    @Test
    void latestAnswerWins() {
        // A realserver replaced behind the same address announces its new MAC (gratuitous ARP).
        table.learn(RS, RS_MAC, T);
        table.learn(GW, GW_MAC, T);
        table.learn(RS, 0x0200_0000_0099L, T + 5);
        assertEquals(0x0200_0000_0099L, table.lookup(RS));
        assertEquals(Map.of(RS, 0x0200_0000_0099L, GW, GW_MAC), entries());
    }

    @Test
    void allOnesMacIsKnownNotMinusOne() {
        table.learn(RS, 0xFFFF_FFFF_FFFFL, T);
        assertEquals(0xFFFF_FFFF_FFFFL, table.lookup(RS));
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 100, 1000})
    void holdsAsManyNeighboursAsItsCapacity(final int capacity) {
        final NeighbourTable t = new NeighbourTable(capacity);
        // 192.168/16 addresses are negative ints; mixed in so the sign never stands for "empty".
        for (int i = 0; i < capacity; i++) {
            t.learn(ip(i % 2 == 0 ? 10 : 192, 168, i >>> 8, i & 0xFF), 0x0200_0000_0000L + i, T);
        }
        assertEquals(0, t.fullDrops());
        for (int i = 0; i < capacity; i++) {
            assertEquals(0x0200_0000_0000L + i, t.lookup(ip(i % 2 == 0 ? 10 : 192, 168, i >>> 8, i & 0xFF)), "#" + i);
        }
        assertEquals(capacity, entries(t).size());
    }

    @Test
    void fullTableStopsLearningNewAddressesAndCountsIt() {
        final NeighbourTable t = new NeighbourTable(16);
        int learnt = 0;
        while (t.fullDrops() == 0) {
            t.learn(ip(10, 77, 2, ++learnt), learnt, T);
        }
        final int refused = ip(10, 77, 2, learnt);
        assertTrue(learnt > 16, "refused only beyond its capacity, at #" + learnt);
        assertEquals(-1, t.lookup(refused));
        t.learn(refused, RS_MAC, T + 1);
        assertEquals(-1, t.lookup(refused));
        assertEquals(2, t.fullDrops());
        assertFalse(t.shouldRequest(refused, T + 1), "no room to remember the request nor its answer");
        // Those already known are still updated.
        t.learn(ip(10, 77, 2, 3), 0x33, T + 2);
        assertEquals(0x33, t.lookup(ip(10, 77, 2, 3)));
        assertEquals(learnt - 1, entries(t).size());
    }

    @Test
    void forgottenAndUnansweredSlotsAreReclaimedWhenTheTableFills() {
        final NeighbourTable t = new NeighbourTable(16);
        int n = 0;
        while (t.fullDrops() == 0) {
            t.learn(ip(10, 77, 2, ++n), n, T);
        }
        final int live = n - 1;
        // Half of them go quiet and fail; the others answer their second probe.
        ageEvery(t, 1_000, T + 1_000, T + REACHABLE_MILLIS + 1_000);
        for (int i = 1; i <= live; i += 2) {
            t.learn(ip(10, 77, 2, i), 0x100 + i, T + REACHABLE_MILLIS + 1_500);
        }
        ageEvery(t, 1_000, T + REACHABLE_MILLIS + 2_000, SILENT_FAILS);
        final int newcomer = ip(10, 77, 3, 1);
        t.learn(newcomer, 0x301, SILENT_FAILS);
        assertEquals(0x301, t.lookup(newcomer), "learnt in a reclaimed slot");
        assertEquals(live / 2, t.reclaimed(), "the failed half gave their slots back");
        for (int i = 1; i <= live; i++) {
            assertEquals(i % 2 == 1 ? 0x100 + i : -1, t.lookup(ip(10, 77, 2, i)), "entry " + i);
        }
        // A failed address asked for again gets a slot and its answer.
        assertTrue(t.shouldRequest(ip(10, 77, 2, 2), SILENT_FAILS));
        t.learn(ip(10, 77, 2, 2), 0x202, SILENT_FAILS + 5);
        assertEquals(0x202, t.lookup(ip(10, 77, 2, 2)));
    }

    @Test
    void aRequestStillAwaitingItsAnswerKeepsItsSlot() {
        final NeighbourTable t = new NeighbourTable(16);
        final int pending = ip(10, 77, 2, 200);
        final int givenUp = ip(10, 77, 2, 201);
        assertTrue(t.shouldRequest(pending, T));
        assertTrue(t.shouldRequest(givenUp, T));
        int n = 0;
        while (t.fullDrops() == 0) {
            t.learn(ip(10, 77, 2, ++n), n, T);
        }
        ageEvery(t, 1_000, T + 1_000, SILENT_FAILS);            // every learnt entry fails
        assertTrue(t.shouldRequest(pending, SILENT_FAILS + 200));  // asked again: its slot is known, no reclaim
        t.learn(ip(10, 77, 3, 1), 0x301, SILENT_FAILS + 700);     // full: reclaims
        assertEquals(n - 1 + 1, t.reclaimed(), "the failed entries and the older request, not the pending one");
        t.learn(pending, 0x2C8, SILENT_FAILS + 800);
        assertEquals(0x2C8, t.lookup(pending));
        assertFalse(t.shouldRequest(pending, SILENT_FAILS + 800), "known now");
    }

    @Test
    void aTableFullOfLiveNeighboursIsNotCopiedPerRefusal() {
        final NeighbourTable t = new NeighbourTable(16);
        int n = 0;
        while (t.fullDrops() == 0) {
            t.learn(ip(10, 77, 2, ++n), n, T);
        }
        for (int i = 0; i < 1000; i++) {
            t.learn(ip(10, 88, i >> 8, i & 0xFF), i, T + 1);
        }
        assertEquals(1001, t.fullDrops());
        assertEquals(0, t.reclaimed());
    }

    @Test
    void overheardArpUpdatesKnownNeighboursOnly() {
        assertFalse(table.update(RS, RS_MAC, T), "a stranger is not remembered");
        assertEquals(-1, table.lookup(RS));
        assertEquals(Map.of(), entries());
        table.learn(GW, GW_MAC, T);
        assertEquals(List.of(REACHABLE_MILLIS, REACHABLE_MILLIS + 1_000),
                ageEachSecond(T, T + REACHABLE_MILLIS + 1_000));
        assertTrue(table.update(GW, 0x0200_0000_0EFEL, T + REACHABLE_MILLIS + 1_500), "a known neighbour moved");
        assertEquals(0x0200_0000_0EFEL, table.lookup(GW));
        assertEquals(List.of(), ageEachSecond(T + REACHABLE_MILLIS + 2_000, SILENT_FAILS + 1_000),
                "the update confirmed it: not probed again, nor failed");
        assertEquals(0x0200_0000_0EFEL, table.lookup(GW));
        // An address being asked for is one we send to: its answer is taken even if overheard.
        assertTrue(table.shouldRequest(RS, SILENT_FAILS + 1_000));
        assertTrue(table.update(RS, RS_MAC, SILENT_FAILS + 1_001));
        assertEquals(RS_MAC, table.lookup(RS));
    }

    @Test
    void requestsAtMostOncePerIntervalPerAddress() {
        assertTrue(table.shouldRequest(RS, T));
        assertFalse(table.shouldRequest(RS, T + REQUEST_INTERVAL_MILLIS - 1));
        assertTrue(table.shouldRequest(GW, T + REQUEST_INTERVAL_MILLIS - 1), "another address has its own limit");
        assertTrue(table.shouldRequest(RS, T + REQUEST_INTERVAL_MILLIS));
        assertFalse(table.shouldRequest(RS, T + REQUEST_INTERVAL_MILLIS + 500));
    }

    @Test
    void reachableEntryIsUsedWithoutProbing() {
        table.learn(RS, RS_MAC, T);
        assertEquals(List.of(), ageEachSecond(T, T + REACHABLE_MILLIS - 1_000));
        assertEquals(List.of(), age(T + REACHABLE_MILLIS - 1));
        assertEquals(RS_MAC, table.lookup(RS));
    }

    @Test
    void staleEntryIsStillUsedAndProbedOncePerInterval() {
        table.learn(RS, RS_MAC, T);
        table.learn(GW, GW_MAC, T + 20_000);
        assertEquals(List.of(RS), age(T + REACHABLE_MILLIS));
        assertEquals(RS_MAC, table.lookup(RS), "stale, not failed");
        assertEquals(List.of(), age(T + REACHABLE_MILLIS + REQUEST_INTERVAL_MILLIS - 1));
        assertEquals(List.of(RS), age(T + REACHABLE_MILLIS + REQUEST_INTERVAL_MILLIS));
    }

    @ParameterizedTest
    @ValueSource(longs = {1_000, 250})
    void aSilentNeighbourIsProbedThreeTimesAnIntervalApartThenFails(final long step) {
        table.learn(RS, RS_MAC, T);
        assertEquals(List.of(REACHABLE_MILLIS, REACHABLE_MILLIS + 1_000, REACHABLE_MILLIS + 2_000),
                ageEvery(table, step, T + step, SILENT_FAILS - 1));
        assertEquals(RS_MAC, table.lookup(RS), "still used while probed");

        assertEquals(List.of(), age(SILENT_FAILS), "failed an interval after the last probe, not probed again");
        assertEquals(-1, table.lookup(RS));
        assertEquals(Map.of(), entries());
        assertEquals(List.of(), ageEvery(table, step, SILENT_FAILS + step, SILENT_FAILS + 2 * REACHABLE_MILLIS),
                "unknown now: the next packet asks again");
    }

    @Test
    void aNeighbourAnsweringItsSecondProbeStaysAndIsProbedAgainOnlyOnceStaleAgain() {
        table.learn(RS, RS_MAC, T);
        assertEquals(List.of(REACHABLE_MILLIS, REACHABLE_MILLIS + 1_000),
                ageEachSecond(T, T + REACHABLE_MILLIS + 1_000));
        final long answered = T + REACHABLE_MILLIS + 1_500;
        table.learn(RS, RS_MAC, answered);
        assertEquals(List.of(), ageEachSecond(T + REACHABLE_MILLIS + 2_000, answered + REACHABLE_MILLIS - 1),
                "reachable again from the answer");
        assertEquals(RS_MAC, table.lookup(RS));
        // Stale again: a whole round of probes, the count restarted with the answer.
        final long stale = answered + REACHABLE_MILLIS;
        assertEquals(List.of(stale - T, stale - T + 1_000, stale - T + 2_000), ageEachSecond(stale, stale + 2_999));
        assertEquals(RS_MAC, table.lookup(RS));
        age(stale + 3_000);
        assertEquals(-1, table.lookup(RS));
    }

    @Test
    void aNeighbourFailsOnlyOnceItsProbesWentOut() {
        // Housekeeping held up (a paused JVM): a long-stale neighbour is probed first, not dropped unasked.
        table.learn(RS, RS_MAC, T);
        final long late = T + 10 * REACHABLE_MILLIS;
        assertEquals(List.of(RS), age(late));
        assertEquals(RS_MAC, table.lookup(RS));
        assertEquals(List.of(late - T + 1_000, late - T + 2_000), ageEachSecond(late + 1_000, late + 2_999));
        age(late + 3_000);
        assertEquals(-1, table.lookup(RS));
    }

    @Test
    void aFailedNeighbourIsAskedForAtOnceAndLearntAgain() {
        table.learn(RS, RS_MAC, T);
        assertFalse(table.shouldRequest(RS, T + REACHABLE_MILLIS), "known: the ageing probes it, not a request");
        ageEachSecond(T + 1_000, SILENT_FAILS);
        assertEquals(-1, table.lookup(RS));
        assertTrue(table.shouldRequest(RS, SILENT_FAILS), "the last probe was an interval ago");
        assertFalse(table.shouldRequest(RS, SILENT_FAILS + REQUEST_INTERVAL_MILLIS - 1));
        table.learn(RS, RS_MAC, SILENT_FAILS + 2);
        assertEquals(RS_MAC, table.lookup(RS));
        assertEquals(List.of(), ageEachSecond(SILENT_FAILS + 1_000, SILENT_FAILS + REACHABLE_MILLIS),
                "reachable again");
        assertEquals(UCAST_PROBES, ageEachSecond(SILENT_FAILS + REACHABLE_MILLIS + 1_000,
                SILENT_FAILS + REACHABLE_MILLIS + 3_000).size(), "stale again: a whole round of probes");
    }

    @Test
    void neverProbesWhatItNeverLearnt() {
        assertTrue(table.shouldRequest(GW, T));
        table.learn(RS, RS_MAC, T);
        final List<Integer> probed = new ArrayList<>();
        for (long now = T + 1_000; now <= T + 3 * REACHABLE_MILLIS; now += 1_000) {
            probed.addAll(age(now));
        }
        assertEquals(List.of(RS, RS, RS), probed);
    }
}
