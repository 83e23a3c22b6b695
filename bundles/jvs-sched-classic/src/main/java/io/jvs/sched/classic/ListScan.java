package io.jvs.sched.classic;

import java.util.List;

import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.ServiceScheduler;

/**
 * Per-service state of a scheduler that scans the whole destination list on every decision (lc, wlc, sed, nq,
 * fo, ovf): the list, in kernel order, published whole on every change so a decision never sees half an
 * update.
 */
abstract class ListScan implements ServiceScheduler {
    private volatile RealServer[] dests = Loads.NONE;

    @Override
    public final void update(final List<? extends RealServer> destinations) {
        dests = Loads.snapshot(destinations);
    }

    /** The current list; read it once per decision. */
    final RealServer[] dests() {
        return dests;
    }
}
