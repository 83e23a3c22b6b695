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
        /** The cursor of a list that an update has replaced: decisions wait for the new one. */
        private static final int FROZEN = Integer.MIN_VALUE;

        /** A list and its cursor: the index of the last chosen dest, -1 for the list head. */
        private record Ring(RealServer[] dests, AtomicInteger cursor) {
        }

        private volatile Ring ring = new Ring(Loads.NONE, new AtomicInteger(-1));

        @Override
        public synchronized void update(final List<? extends RealServer> destinations) {
            final RealServer[] next = Loads.snapshot(destinations);
            final Ring old = ring;
            // Freezing the old cursor makes a racing decision retry on the new list instead of moving it.
            final int last = old.cursor.getAndSet(FROZEN);
            int moved = -1;
            for (int i = Math.min(last, old.dests.length - 1); i >= 0 && moved < 0; i--) {
                moved = indexOf(next, old.dests[i]);
            }
            ring = new Ring(next, new AtomicInteger(moved));
        }

        @Override
        public RealServer schedule(final Flow flow) {
            while (true) {
                final Ring r = ring;
                final int last = r.cursor.get();
                if (last == FROZEN) {
                    Thread.onSpinWait();
                    continue;
                }
                final RealServer[] d = r.dests;
                final int n = d.length;
                // Starting at the head scans 0..n-1, exactly as starting after the last element does.
                final int from = last < 0 ? n - 1 : last;
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
                if (r.cursor.compareAndSet(last, chosen)) {
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
