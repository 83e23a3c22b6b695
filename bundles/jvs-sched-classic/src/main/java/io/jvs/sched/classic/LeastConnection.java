package io.jvs.sched.classic;

import org.osgi.service.component.annotations.Component;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.LoadBoard;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.SchedulerContext;
import io.jvs.api.sched.ServiceScheduler;

/**
 * Least-connection ({@code ip_vs_lc.c}).
 *
 * <p>Skips destinations that are overloaded or quiescent (weight 0) and takes the one with the smallest overhead,
 * {@code activeconns * 256 + inactconns}; weights play no other part. Ties go to the earlier destination in list
 * order (newest first). Stateless: it reads the published snapshot and the live counters.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=lc")
public final class LeastConnection implements Scheduler {
    @Override
    public String name() {
        return "lc";
    }

    @Override
    public ServiceScheduler create(final SchedulerContext context) {
        return new State();
    }

    private static final class State extends ListScan {

        @Override
        public RealServer schedule(final Flow flow) {
            final LoadBoard b = board();
            if (b.ordered()) {
                final int first = b.firstMinimum(LoadBoard.Order.OVERHEAD);
                return first < 0 ? null : b.get(first);
            }
            // The plain kernel loop, for boards whose counts outgrew the exact keys.
            final int n = b.size();
            int least = -1;
            long leastOverhead = Long.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                final long word = b.load(i);
                if (LoadBoard.weight(word) != 0 && LoadBoard.value(word) < leastOverhead) {
                    least = i;
                    leastOverhead = LoadBoard.value(word);
                }
            }
            return least < 0 ? null : b.get(least);
        }
    }
}
