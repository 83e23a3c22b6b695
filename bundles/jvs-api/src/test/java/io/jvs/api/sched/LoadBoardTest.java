package io.jvs.api.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadBoardTest {
    /** A realserver whose values the test changes between reads. */
    private static final class Dest implements RealServer {
        int weight;
        boolean overloaded;
        int active;
        int inactive;

        Dest(final int weight, final int active, final int inactive) {
            this.weight = weight;
            this.active = active;
            this.inactive = inactive;
        }

        @Override
        public int weight() {
            return weight;
        }

        @Override
        public boolean isOverloaded() {
            return overloaded;
        }

        @Override
        public int activeConns() {
            return active;
        }

        @Override
        public int inactiveConns() {
            return inactive;
        }

        @Override
        public InetAddress address() {
            return InetAddress.getLoopbackAddress();
        }

        @Override
        public int port() {
            return 80;
        }

        @Override
        public int addressFold() {
            return 0x7F000001;
        }
    }

    @Test
    void shouldPackEligibleWeightOverheadAndActive() {
        final Dest d = new Dest(5, 3, 7);
        final LoadBoard b = LoadBoard.pushed(List.of(d));
        assertEquals(5, LoadBoard.weight(b.load(0)));
        assertEquals(3 * 256 + 7, LoadBoard.value(b.load(0)));
        assertEquals(5, LoadBoard.weight(b.active(0)));
        assertEquals(3, LoadBoard.value(b.active(0)));
        b.set(0, 65535, false, Integer.MAX_VALUE, Integer.MAX_VALUE);
        assertEquals(65535, LoadBoard.weight(b.load(0)));
        assertEquals(((long) Integer.MAX_VALUE << 8) + Integer.MAX_VALUE, LoadBoard.value(b.load(0)),
                "the largest overhead still fits under the weight");
        b.set(0, 70000, false, 0, 0);
        assertEquals(65535, LoadBoard.weight(b.load(0)), "weights above ipvsadm's range are clamped, not wrapped");
    }

    @Test
    void shouldGiveOverloadedQuiescentAndNegativeNoWeight() {
        final LoadBoard b = LoadBoard.pushed(List.of(new Dest(1, 0, 0)));
        b.set(0, 9, true, 1, 1);
        assertEquals(0, LoadBoard.weight(b.load(0)), "overloaded");
        assertEquals(257, LoadBoard.value(b.load(0)), "the counts stay readable");
        b.set(0, 0, false, 1, 1);
        assertEquals(0, LoadBoard.weight(b.active(0)), "quiescent");
        b.set(0, 4, false, -1, -2);
        assertEquals(0L, LoadBoard.value(b.load(0)), "a transiently negative count reads as 0");
        assertEquals(4, LoadBoard.weight(b.load(0)));
    }

    @Test
    void shouldPullOnlyWhenWrappingAPlainList() {
        final Dest d = new Dest(2, 0, 0);
        final List<Dest> plain = new ArrayList<>(List.of(d));
        final LoadBoard pull = LoadBoard.of(plain);
        final LoadBoard push = LoadBoard.pushed(plain);
        assertSame(push, LoadBoard.of(push), "a board is used as it is");
        assertSame(d, pull.get(0));
        d.active = 4;
        d.overloaded = true;
        pull.sync();
        push.sync();
        assertEquals(0, LoadBoard.weight(pull.load(0)));
        assertEquals(4, LoadBoard.value(pull.active(0)), "pulled on sync");
        assertEquals(2, LoadBoard.weight(push.load(0)));
        assertEquals(0, LoadBoard.value(push.active(0)), "a pushed board changes only by set");
        assertEquals(0, LoadBoard.of(List.of()).size());
    }
    @Test
    void shouldFindTheFirstMinimumOfEachOrder() {
        // List order a, b, c, d: overheads 300, 600, 300, 0 (d quiescent); weights 1, 2, 1, 0.
        final List<Dest> list = List.of(new Dest(1, 1, 44), new Dest(2, 2, 88), new Dest(1, 1, 44), new Dest(0, 0, 0));
        final LoadBoard b = LoadBoard.pushed(list);
        assertEquals(0, b.firstMinimum(LoadBoard.Order.OVERHEAD), "a and c tie at 300: the first");
        assertEquals(0, b.firstMinimum(LoadBoard.Order.OVERHEAD_PER_WEIGHT), "300/1 = 600/2 = 300/1: the first");
        assertEquals(1, b.firstMinimum(LoadBoard.Order.DELAY), "(2 + 1) / 2 < (1 + 1) / 1");
        assertEquals(1, b.firstMinimum(LoadBoard.Order.IDLE_THEN_DELAY), "nobody eligible is idle: as DELAY");
        b.set(2, 1, false, 0, 500);
        assertEquals(2, b.firstMinimum(LoadBoard.Order.IDLE_THEN_DELAY), "c idle wins whatever its inactive count");
        assertEquals(2, b.firstMinimum(LoadBoard.Order.DELAY), "1/1 < 3/2");
        b.set(1, 65535, false, 65534, 0);
        b.set(2, 65534, false, 65533, 0);
        assertEquals(1, b.firstMinimum(LoadBoard.Order.DELAY), "65535/65535 = 1 < 65534/65534? equal: the first");
        b.set(0, 65535, false, 65533, 0);
        assertEquals(0, b.firstMinimum(LoadBoard.Order.DELAY), "65534/65535 is 1/65535 below 1, and kept apart");
        for (int i = 0; i < 4; i++) {
            b.set(i, 1, true, 0, 0);
        }
        assertEquals(-1, b.firstMinimum(LoadBoard.Order.OVERHEAD_PER_WEIGHT), "all overloaded");
        assertEquals(0, b.eligibleWeight());
    }

    @Test
    void shouldKeepTheEligibleWeightSumAndReportCountsTooLargeForTheKeys() {
        final LoadBoard b = LoadBoard.pushed(List.of(new Dest(3, 0, 0), new Dest(4, 0, 0)));
        assertEquals(7, b.eligibleWeight());
        b.set(0, 3, true, 0, 0);
        assertEquals(4, b.eligibleWeight(), "overloaded weight does not count");
        b.set(0, 10, false, 0, 0);
        b.set(1, 0, false, 0, 0);
        assertEquals(10, b.eligibleWeight());
        assertTrue(b.ordered());
        b.set(1, 0, false, 1 << 23, 0);
        assertFalse(b.ordered(), "2^23 active connections make an overhead of 2^31: the keys would overflow");
    }
    @Test
    void shouldWalkTheRunningSumOfEligibleWeights() {
        // Weights 0, 3, 1 (overloaded), 2, 5: eligible running sums 0, 3, 3, 5, 10.
        final List<Dest> list = new ArrayList<>();
        for (final int w : new int[] {0, 3, 1, 2, 5}) {
            list.add(new Dest(w, 0, 0));
        }
        list.get(2).overloaded = true;
        final LoadBoard b = LoadBoard.pushed(list);
        assertEquals(10, b.eligibleWeight());
        final int[] expected = {1, 1, 1, 1, 3, 3, 4, 4, 4, 4, 4};
        for (int r = 0; r <= 10; r++) {
            assertEquals(expected[r], b.weightedPosition(r), "r = " + r);
        }
        assertEquals(-1, b.weightedPosition(11));
        b.set(0, 7, false, 0, 0);
        b.set(4, 5, true, 0, 0);
        assertEquals(12, b.eligibleWeight());
        assertEquals(0, b.weightedPosition(7));
        assertEquals(1, b.weightedPosition(8));
        assertEquals(3, b.weightedPosition(12));
        assertEquals(-1, b.weightedPosition(13));
    }
}
