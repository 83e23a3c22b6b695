package io.jvs.sched.classic;

import org.osgi.service.component.annotations.Component;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.SchedulerContext;
import io.jvs.api.sched.ServiceScheduler;

/**
 * Weighted least-connection ({@code ip_vs_wlc.c}), the IPVS default.
 *
 * <p>Starts with the first destination that is neither overloaded nor quiescent, then walks the rest (skipping the
 * overloaded) for the smallest {@code overhead / weight}, with {@code overhead = activeconns * 256 + inactconns}. No
 * division: {@code a / wa > b / wb} is tested as {@code a * wb > b * wa} in 64 bits, so a quiescent destination
 * never wins and ties go to the earlier destination in list order.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=wlc")
public final class WeightedLeastConnection implements Scheduler {
    @Override
    public String name() {
        return "wlc";
    }

    @Override
    public ServiceScheduler create(final SchedulerContext context) {
        return new State();
    }

    private static final class State extends ListScan {

        @Override
        public RealServer schedule(final Flow flow) {
            final RealServer[] d = dests();
            final int n = d.length;
            int i = 0;
            while (i < n && !Loads.available(d[i])) {
                i++;
            }
            if (i == n) {
                return null;
            }
            RealServer least = d[i];
            long leastOverhead = Loads.overhead(least);
            for (i++; i < n; i++) {
                final RealServer dest = d[i];
                if (dest.isOverloaded()) {
                    continue;
                }
                final long overhead = Loads.overhead(dest);
                if (leastOverhead * dest.weight() > overhead * least.weight()) {
                    least = dest;
                    leastOverhead = overhead;
                }
            }
            return least;
        }
    }
}
