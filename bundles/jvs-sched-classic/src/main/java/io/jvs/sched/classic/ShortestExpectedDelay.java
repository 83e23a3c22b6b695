package io.jvs.sched.classic;

import org.osgi.service.component.annotations.Component;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.SchedulerContext;
import io.jvs.api.sched.ServiceScheduler;

/**
 * Shortest expected delay ({@code ip_vs_sed.c}; Weinrib and Shenker, INFOCOM 1988).
 *
 * <p>The expected delay of a job sent to server i is {@code (Ci + 1) / Ui}, with {@code Ci} its active connections
 * (inactive ones are ignored) and {@code Ui} its weight. As wlc: start with the first destination that is neither
 * overloaded nor quiescent, then take a later one only when its delay is strictly smaller, compared by 64-bit
 * cross-multiplication; overloaded destinations are skipped.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=sed")
public final class ShortestExpectedDelay implements Scheduler {
    @Override
    public String name() {
        return "sed";
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
            long leastOverhead = least.activeConns() + 1L;
            for (i++; i < n; i++) {
                final RealServer dest = d[i];
                if (dest.isOverloaded()) {
                    continue;
                }
                final long overhead = dest.activeConns() + 1L;
                if (leastOverhead * dest.weight() > overhead * least.weight()) {
                    least = dest;
                    leastOverhead = overhead;
                }
            }
            return least;
        }
    }
}
