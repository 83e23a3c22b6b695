package io.jvs.sched.classic;

import org.osgi.service.component.annotations.Component;

import io.jvs.api.sched.Flow;
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
            final RealServer[] d = dests();
            RealServer least = null;
            long leastOverhead = 0;
            for (final RealServer dest : d) {
                if (dest.isOverloaded() || dest.weight() == 0) {
                    continue;
                }
                final long overhead = Loads.overhead(dest);
                if (least == null || overhead < leastOverhead) {
                    least = dest;
                    leastOverhead = overhead;
                }
            }
            return least;
        }
    }
}
