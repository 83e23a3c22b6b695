package io.jvs.sched.classic;

import org.osgi.service.component.annotations.Component;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.LoadBoard;
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
            final LoadBoard b = board();
            if (b.ordered()) {
                final int first = b.firstMinimum(LoadBoard.Order.IDLE_THEN_DELAY);
                return first < 0 ? null : b.get(first);
            }
            // The plain kernel loop, for boards whose counts outgrew the exact keys.
            final int n = b.size();
            int least = -1;
            long leastOverhead = 0;
            long leastWeight = 0;
            for (int i = 0; i < n; i++) {
                final long word = b.active(i);
                final long weight = LoadBoard.weight(word);
                if (weight == 0) {
                    continue;
                }
                final long active = LoadBoard.value(word);
                if (active == 0) {
                    return b.get(i);
                }
                if (least < 0 || leastOverhead * weight > (active + 1) * leastWeight) {
                    least = i;
                    leastOverhead = active + 1;
                    leastWeight = weight;
                }
            }
            return least < 0 ? null : b.get(least);
        }
    }
}
