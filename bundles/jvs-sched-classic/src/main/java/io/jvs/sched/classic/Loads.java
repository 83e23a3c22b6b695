package io.jvs.sched.classic;

import java.util.List;

import io.jvs.api.sched.RealServer;

/** The arithmetic the classic schedulers share with IPVS ({@code include/net/ip_vs.h}, {@code lib/math/gcd.c}). */
final class Loads {
    static final RealServer[] NONE = new RealServer[0];

    private Loads() {
    }

    /**
     * {@code ip_vs_dest_conn_overhead}: an active connection costs 256 times an inactive one. A long, so that the
     * cross-multiplied comparisons {@code a * wb > b * wa} never overflow.
     */
    static long overhead(final RealServer dest) {
        return ((long) dest.activeConns() << 8) + dest.inactiveConns();
    }

    /** Able to take a new connection: weight above 0 (not quiescent) and not overloaded. */
    static boolean available(final RealServer dest) {
        return dest.weight() > 0 && !dest.isOverloaded();
    }

    /** The immutable snapshot a scheduler publishes, in kernel list order. */
    static RealServer[] snapshot(final List<? extends RealServer> destinations) {
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
