package io.jvs.core.neigh;

import static io.jvs.core.neigh.NeighbourTable.FAILED_MILLIS;
import static io.jvs.core.neigh.NeighbourTable.REACHABLE_MILLIS;
import static io.jvs.core.neigh.NeighbourTable.REQUEST_INTERVAL_MILLIS;
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
        // Half of them go quiet and are forgotten; the others keep answering.
        for (int i = 1; i <= live; i += 2) {
            t.learn(ip(10, 77, 2, i), 0x100 + i, T + FAILED_MILLIS - 1);
        }
        t.age(T + FAILED_MILLIS, ip -> { });
        final int newcomer = ip(10, 77, 3, 1);
        t.learn(newcomer, 0x301, T + FAILED_MILLIS);
        assertEquals(0x301, t.lookup(newcomer), "learnt in a reclaimed slot");
        assertEquals(live / 2, t.reclaimed(), "the forgotten half gave their slots back");
        for (int i = 1; i <= live; i++) {
            assertEquals(i % 2 == 1 ? 0x100 + i : -1, t.lookup(ip(10, 77, 2, i)), "entry " + i);
        }
        // A forgotten address asked for again gets a slot and its answer.
        assertTrue(t.shouldRequest(ip(10, 77, 2, 2), T + FAILED_MILLIS));
        t.learn(ip(10, 77, 2, 2), 0x202, T + FAILED_MILLIS + 5);
        assertEquals(0x202, t.lookup(ip(10, 77, 2, 2)));
    }

    @Test
    void aRequestStillAwaitingItsAnswerKeepsItsSlot() {
        final NeighbourTable t = new NeighbourTable(16);
        final int pending = ip(10, 77, 2, 200);
        assertTrue(t.shouldRequest(pending, T));
        int n = 0;
        while (t.fullDrops() == 0) {
            t.learn(ip(10, 77, 2, ++n), n, T);
        }
        t.age(T + FAILED_MILLIS, ip -> { });          // every learnt entry is forgotten
        t.learn(ip(10, 77, 3, 1), 0x301, T + 2000);   // full: reclaims
        assertEquals(n - 1, t.reclaimed(), "all forgotten entries, not the pending request");
        t.learn(pending, 0x2C8, T + 2001);
        assertEquals(0x2C8, t.lookup(pending));
        assertFalse(t.shouldRequest(ip(10, 77, 2, 200), T + 2001), "known now");
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
        assertTrue(table.update(GW, 0x0200_0000_0EFEL, T + FAILED_MILLIS - 1), "a known neighbour moved");
        assertEquals(0x0200_0000_0EFEL, table.lookup(GW));
        table.age(T + FAILED_MILLIS, ip -> { });
        assertEquals(0x0200_0000_0EFEL, table.lookup(GW), "the update confirmed it");
        // An address being asked for is one we send to: its answer is taken even if overheard.
        assertTrue(table.shouldRequest(RS, T + 1));
        assertTrue(table.update(RS, RS_MAC, T + 2));
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

    @Test
    void answeredProbeRefreshes() {
        table.learn(RS, RS_MAC, T);
        assertEquals(List.of(RS), age(T + REACHABLE_MILLIS));
        final long answered = T + REACHABLE_MILLIS + 200;
        table.learn(RS, RS_MAC, answered);
        assertEquals(List.of(), age(answered + REACHABLE_MILLIS - 1), "reachable again from the answer");
        assertEquals(List.of(RS), age(answered + REACHABLE_MILLIS));
        age(T + FAILED_MILLIS);
        assertEquals(RS_MAC, table.lookup(RS), "failed time counts from the answer, not the first learning");
        age(answered + FAILED_MILLIS - 1);
        assertEquals(RS_MAC, table.lookup(RS));
        age(answered + FAILED_MILLIS);
        assertEquals(-1, table.lookup(RS));
    }

    @Test
    void unansweredEntryIsProbedUntilForgotten() {
        table.learn(RS, RS_MAC, T);
        final List<Long> probes = new ArrayList<>();
        for (long now = T + 1_000; now < T + FAILED_MILLIS; now += 1_000) {
            final long at = now;
            table.age(now, ip -> probes.add(at - T));
        }
        assertEquals(REACHABLE_MILLIS, probes.get(0));
        assertEquals((FAILED_MILLIS - REACHABLE_MILLIS) / 1_000, probes.size(), "every age call once stale");
        age(T + FAILED_MILLIS - 1);
        assertEquals(RS_MAC, table.lookup(RS), "still used while probed");

        assertEquals(List.of(), age(T + FAILED_MILLIS), "forgotten, not probed");
        assertEquals(-1, table.lookup(RS));
        assertEquals(Map.of(), entries());
        assertEquals(List.of(), age(T + FAILED_MILLIS + 5_000), "unknown now: the next packet asks again");
    }

    @Test
    void forgottenEntryIsAskedForAndLearntAgain() {
        table.learn(RS, RS_MAC, T);
        age(T + FAILED_MILLIS);
        assertEquals(-1, table.lookup(RS));
        assertTrue(table.shouldRequest(RS, T + FAILED_MILLIS + 1));
        table.learn(RS, RS_MAC, T + FAILED_MILLIS + 2);
        assertEquals(RS_MAC, table.lookup(RS));
        assertEquals(List.of(), age(T + FAILED_MILLIS + 3), "reachable again");
    }

    @Test
    void probesAndRequestsShareTheInterval() {
        table.learn(RS, RS_MAC, T);
        assertFalse(table.shouldRequest(RS, T + REACHABLE_MILLIS), "known: the ageing probes it, not a request");
        final long lastProbe = T + FAILED_MILLIS - 1;
        age(T + REACHABLE_MILLIS);
        assertEquals(List.of(RS), age(lastProbe));
        assertEquals(List.of(), age(T + FAILED_MILLIS), "forgotten, not probed");
        assertFalse(table.shouldRequest(RS, T + FAILED_MILLIS), "probed a moment ago");
        assertTrue(table.shouldRequest(RS, lastProbe + REQUEST_INTERVAL_MILLIS));
    }

    @Test
    void neverProbesWhatItNeverLearnt() {
        assertTrue(table.shouldRequest(GW, T));
        table.learn(RS, RS_MAC, T);
        assertEquals(List.of(RS), age(T + REACHABLE_MILLIS));
        assertEquals(List.of(), age(T + FAILED_MILLIS + REACHABLE_MILLIS));
    }
}
