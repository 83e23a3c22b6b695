package io.jvs.sched.classic;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

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
 * predecessor, so the scan continues with the destination that followed it. The cursor moves by compare-and-set:
 * decisions of concurrent workers are serialised as the kernel's {@code svc->sched_lock} serialises them, without
 * two workers ever waiting for each other's lock.
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
        private volatile RealServer[] dests = Loads.NONE;
        /** Index of the last chosen dest; -1 is the list head. */
        private final AtomicInteger cursor = new AtomicInteger(-1);

        @Override
        public synchronized void update(final List<? extends RealServer> destinations) {
            final RealServer[] next = Loads.snapshot(destinations);
            final RealServer[] prev = dests;
            int moved = -1;
            for (int i = Math.min(cursor.get(), prev.length - 1); i >= 0 && moved < 0; i--) {
                moved = indexOf(next, prev[i]);
            }
            dests = next;
            cursor.set(moved);
        }

        @Override
        public RealServer schedule(final Flow flow) {
            while (true) {
                final RealServer[] d = dests;
                final int n = d.length;
                final int last = cursor.get();
                // Starting at the head scans 0..n-1, exactly as starting after the last element does. A cursor
                // beyond the list was left by a decision racing with an update: start at the head.
                final int from = last < 0 || last >= n ? n - 1 : last;
                int chosen = -1;
                for (int k = 1; k <= n; k++) {
                    int i = from + k;
                    if (i >= n) {
                        i -= n;
                    }
                    final RealServer dest = d[i];
                    if (!dest.isOverloaded() && dest.weight() > 0) {
                        chosen = i;
                        break;
                    }
                }
                if (chosen < 0) {
                    return null;
                }
                if (cursor.compareAndSet(last, chosen)) {
                    return d[chosen];
                }
            }
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
