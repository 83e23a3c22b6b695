package io.jvs.sched.classic;

import org.osgi.service.component.annotations.Component;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.LoadBoard;
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
            final LoadBoard b = board();
            if (b.ordered()) {
                final int first = b.firstMinimum(LoadBoard.Order.DELAY);
                return first < 0 ? null : b.get(first);
            }
            // The plain kernel loop, for boards whose counts outgrew the exact keys.
            final int n = b.size();
            int i = Loads.firstEligible(b, 0);
            if (i == n) {
                return null;
            }
            int least = i;
            long leastOverhead = LoadBoard.value(b.active(i)) + 1;
            long leastWeight = LoadBoard.weight(b.active(i));
            for (i++; i < n; i++) {
                // Overloaded and quiescent destinations have eligible weight 0 and never win.
                final long word = b.active(i);
                final long overhead = LoadBoard.value(word) + 1;
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
