package io.jvs.sched.hashing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.SchedulerContext;
import io.jvs.api.sched.ServiceScheduler;
import io.jvs.testkit.sched.TestContext;
import io.jvs.testkit.sched.TestFlow;
import io.jvs.testkit.sched.TestServer;

/** Expected slots computed from ip_vs_mh.c's permutation and population with 64-bit hsiphash (SipHash-1-3). */
class MaglevHashingTest {
    private final TestServer x1 = new TestServer("X1", "10.0.0.1", 80, 2);
    private final TestServer x2 = new TestServer("X2", "10.0.0.2", 80, 1);
    private final TestServer x3 = new TestServer("X3", "10.0.0.3", 80, 3);
    private final TestContext context = new TestContext();
    private final ServiceScheduler mh = new MaglevHashing().create(context);

    private static int[] counts(final RealServer[] table, final RealServer... dests) {
        final int[] counts = new int[dests.length];
        for (final RealServer slot : table) {
            for (int i = 0; i < dests.length; i++) {
                counts[i] += slot == dests[i] ? 1 : 0;
            }
        }
        return counts;
    }

    @Test
    void permutationOffsetsAndSkips() {
        assertEquals(3167, MaglevHashing.slot(TestFlow.ipv4("10.0.0.1"), 80, 0));          // offset of X1
        assertEquals(1231, MaglevHashing.slot(TestFlow.ipv4("10.0.0.2"), 80, 0));          // offset of X2
        assertEquals(700, Integer.remainderUnsigned(Hashing.hsiphash32(TestFlow.ipv4("10.0.0.1") + 80,
            MaglevHashing.HASH2_KEY, MaglevHashing.HASH2_KEY), 4092) + 1);                 // skip of X1
    }

    @Test
    void tableLayoutFollowsWeights() {
        final RealServer[] table = MaglevHashing.populate(List.of(x1, x2, x3), new int[] {2, 1, 3});
        assertArrayEquals(new int[] {1365, 682, 2046}, counts(table, x1, x2, x3));
        final RealServer[] first = {x1, x1, x3, x3, x3, x3, x3, x3, x3, x1, x1, x2, x2, x1, x1, x3, x2, x3, x3, x1};
        assertArrayEquals(first, java.util.Arrays.copyOf(table, 20));
        assertSame(x1, table[3167]);                                   // X1 claims its offset first
        assertSame(x2, table[1231]);
    }

    @Test
    void largeWeightRatiosAreShifted() {
        final RealServer[] table = MaglevHashing.populate(List.of(x1, x2), new int[] {1, 100});
        assertArrayEquals(new int[] {81, 4012}, counts(table, x1, x2));   // rshift 1: turns 1 and 50
        assertArrayEquals(new int[] {1024, 3069},
            counts(MaglevHashing.populate(List.of(x1, x2), new int[] {1000, 3000}), x1, x2));
    }

    @Test
    void sourceAddressPicksTheSlot() {
        mh.update(List.of(x1, x2, x3));
        assertSame(x3, mh.schedule(new TestFlow().from("192.168.0.1", 1234)));   // slot 1278
        assertSame(x1, mh.schedule(new TestFlow().from("10.1.2.3", 1234)));      // slot 1263
        assertSame(x3, mh.schedule(new TestFlow().from("203.0.113.7", 1234)));
        context.flags(SchedulerContext.SCHED2);
        assertSame(x3, mh.schedule(new TestFlow().from("192.168.0.1", 1234)));   // mh-port: slot 448
    }

    @Test
    void quiescingKeepsTheTableAndFallbackFindsAnother() {
        mh.update(List.of(x1, x2, x3));
        x3.weight = 0;
        mh.update(List.of(x1, x2, x3));                                // last_weight of X3 stays 3
        assertNull(mh.schedule(new TestFlow().from("192.168.0.1", 1234)));
        assertSame(x1, mh.schedule(new TestFlow().from("10.1.2.3", 1234)));
        context.flags(SchedulerContext.SCHED1);
        assertSame(x2, mh.schedule(new TestFlow().from("192.168.0.1", 1234)));
        x3.weight = 3;
        mh.update(List.of(x1, x2, x3));
        assertSame(x3, mh.schedule(new TestFlow().from("192.168.0.1", 1234)));
    }

    @Test
    void removalRepopulates() {
        mh.update(List.of(x1, x2, x3));
        mh.update(List.of(x1, x2));
        assertSame(x1, mh.schedule(new TestFlow().from("10.1.2.3", 1234)));
        final RealServer[] table = MaglevHashing.populate(List.of(x1, x2), new int[] {2, 1});
        assertArrayEquals(new int[] {2729, 1364}, counts(table, x1, x2));
    }

    @Test
    void addedWithWeightZeroTakesNoSlot() {
        final TestServer idle = new TestServer("I", "10.0.0.9", 80, 0);
        mh.update(List.of(idle, x1));
        context.flags(SchedulerContext.SCHED1);
        for (int i = 0; i < 100; i++) {
            assertSame(x1, mh.schedule(new TestFlow().from("192.0.2." + i, 1)));
        }
        mh.update(List.of(idle));                                      // gcd 0: empty table
        assertNull(mh.schedule(new TestFlow().from("192.0.2.1", 1)));
    }

    @Test
    void refusesMoreDestinationsThanSlots() {
        final List<TestServer> many = new ArrayList<>();
        for (int i = 0; i <= MaglevHashing.TAB_SIZE; i++) {
            many.add(new TestServer("M" + i, "10.1." + (i >> 8) + "." + (i & 0xFF), 80, 1));
        }
        assertThrows(IllegalArgumentException.class, () -> mh.update(many));
        mh.update(many.subList(0, MaglevHashing.TAB_SIZE));
    }
}
