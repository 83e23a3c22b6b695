package io.jvs.sched.classic;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.SchedulerContext;
import io.jvs.api.sched.ServiceScheduler;

/**
 * Round-robin ({@code ip_vs_rr.c}).
 *
 * <p>A cursor remembers the destination chosen last (initially the list head). Each decision scans the list
 * circularly starting after the cursor, ending with the cursor's own destination, and takes the first one that is
 * neither overloaded nor quiescent (weight 0); the cursor moves there. Adding a destination (at the head) leaves the
 * cursor where it is; removing the destination under the cursor moves the cursor back to the nearest surviving
 * predecessor, so the scan continues with the destination that followed it. The cursor is guarded by a lock, as the
 * kernel guards it with {@code svc->sched_lock}.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=rr")
public final class RoundRobin implements Scheduler {
    @Override
    public String name() {
        return "rr";
    }

    @Override
    public ServiceScheduler create(final SchedulerContext context) {
        return new State();
    }

    private static final class State implements ServiceScheduler {
        private RealServer[] dests = Loads.NONE;   // guarded by this
        private int cursor = -1;                   // index of the last chosen dest; -1 is the list head

        @Override
        public synchronized void update(final List<? extends RealServer> destinations) {
            final RealServer[] next = Loads.snapshot(destinations);
            int moved = -1;
            for (int i = cursor; i >= 0 && moved < 0; i--) {
                moved = indexOf(next, dests[i]);
            }
            dests = next;
            cursor = moved;
        }

        @Override
        public synchronized RealServer schedule(final Flow flow) {
            final RealServer[] d = dests;
            final int n = d.length;
            // Starting at the head scans 0..n-1, exactly as starting after the last element does.
            final int from = cursor < 0 ? n - 1 : cursor;
            for (int k = 1; k <= n; k++) {
                int i = from + k;
                if (i >= n) {
                    i -= n;
                }
                final RealServer dest = d[i];
                if (!dest.isOverloaded() && dest.weight() > 0) {
                    cursor = i;
                    return dest;
                }
            }
            return null;
        }

        private static int indexOf(final RealServer[] d, final RealServer dest) {
            for (int i = 0; i < d.length; i++) {
                if (d[i] == dest) {
                    return i;
                }
            }
            return -1;
        }
    }
}
