package io.jvs.sched.classic;

import org.osgi.service.component.annotations.Component;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.SchedulerContext;
import io.jvs.api.sched.ServiceScheduler;

/**
 * Never queue ({@code ip_vs_nq.c}): a two-speed model.
 *
 * <p>Skipping overloaded and quiescent destinations, the first idle one (no active connection) in list order is
 * taken at once, instead of waiting for a faster one. When none is idle it falls back to shortest expected delay:
 * the smallest {@code (activeconns + 1) / weight}, compared by 64-bit cross-multiplication, ties to the earlier.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=nq")
public final class NeverQueue implements Scheduler {
    @Override
    public String name() {
        return "nq";
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
                final int active = dest.activeConns();
                if (active == 0) {
                    return dest;
                }
                final long overhead = active + 1L;
                if (least == null || leastOverhead * dest.weight() > overhead * least.weight()) {
                    least = dest;
                    leastOverhead = overhead;
                }
            }
            return least;
        }
    }
}
