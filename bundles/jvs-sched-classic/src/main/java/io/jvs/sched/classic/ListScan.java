package io.jvs.sched.classic;

import java.util.List;

import io.jvs.api.sched.LoadBoard;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.ServiceScheduler;

/**
 * Per-service state of a scheduler that scans the whole destination list on every decision (lc, wlc, sed, nq,
 * fo, ovf, twos): the service's {@link LoadBoard}, replaced whole on every change so a decision never sees half
 * an update.
 */
abstract class ListScan implements ServiceScheduler {
    private volatile LoadBoard board = LoadBoard.empty();

    @Override
    public final void update(final List<? extends RealServer> destinations) {
        board = LoadBoard.of(destinations);
    }

    /** The current board, brought up to date; read it once per decision. */
    final LoadBoard board() {
        final LoadBoard b = board;
        b.sync();
        return b;
    }
}
