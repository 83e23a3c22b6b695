package io.jvs.sched.classic;

import io.jvs.api.sched.LoadBoard;
import io.jvs.api.sched.RealServer;

/** The arithmetic the classic schedulers share with IPVS ({@code include/net/ip_vs.h}, {@code lib/math/gcd.c}). */
final class Loads {
    static final RealServer[] NONE = new RealServer[0];

    private Loads() {
    }

    /** Able to take a new connection: weight above 0 (not quiescent) and not overloaded. */
    static boolean available(final RealServer dest) {
        return dest.weight() > 0 && !dest.isOverloaded();
    }

    /**
     * The first destination from {@code from} on whose word has an eligible weight (neither quiescent nor
     * overloaded), or {@code board.size()}.
     */
    static int firstEligible(final LoadBoard board, final int from) {
        final int n = board.size();
        int i = from;
        while (i < n && LoadBoard.weight(board.load(i)) == 0) {
            i++;
        }
        return i;
    }

    /** The immutable snapshot rr and wrr publish, in kernel list order. */
    static RealServer[] snapshot(final java.util.List<? extends RealServer> destinations) {
        return destinations.toArray(NONE);
    }

    static int gcd(int a, int b) {
        while (b != 0) {
            final int r = a % b;
            a = b;
            b = r;
        }
        return a;
    }
}
