package io.jvs.sched.classic;

import org.osgi.service.component.annotations.Component;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.LoadBoard;
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
            final LoadBoard b = board();
            if (b.ordered()) {
                final int first = b.firstMinimum(LoadBoard.Order.OVERHEAD_PER_WEIGHT);
                return first < 0 ? null : b.get(first);
            }
            // The plain kernel loop, for boards whose counts outgrew the exact keys.
            final int n = b.size();
            int i = Loads.firstEligible(b, 0);
            if (i == n) {
                return null;
            }
            int least = i;
            long leastOverhead = LoadBoard.value(b.load(i));
            long leastWeight = LoadBoard.weight(b.load(i));
            for (i++; i < n; i++) {
                // Overloaded and quiescent destinations have eligible weight 0 and never win (0 > x is false).
                final long word = b.load(i);
                final long overhead = LoadBoard.value(word);
                if (leastOverhead * LoadBoard.weight(word) > overhead * leastWeight) {
                    least = i;
                    leastOverhead = overhead;
                    leastWeight = LoadBoard.weight(word);
                }
            }
            return b.get(least);
        }
    }
}
