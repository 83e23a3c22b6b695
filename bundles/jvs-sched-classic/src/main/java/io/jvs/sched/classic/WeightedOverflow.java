package io.jvs.sched.classic;

import org.osgi.service.component.annotations.Component;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.LoadBoard;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.SchedulerContext;
import io.jvs.api.sched.ServiceScheduler;

/**
 * Weighted overflow ({@code ip_vs_ovf.c}).
 *
 * <p>Keeps all connections on the destination with the highest weight and overflows to the next when its active
 * connections exceed its weight: eligible are destinations not overloaded, not quiescent and with
 * {@code activeconns <= weight}; the highest weight wins, ties to the earlier in list order. Only active
 * connections count, so it suits TCP, not UDP (whose connections stay inactive).
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=ovf")
public final class WeightedOverflow implements Scheduler {
    @Override
    public String name() {
        return "ovf";
    }

    @Override
    public ServiceScheduler create(final SchedulerContext context) {
        return new State();
    }

    private static final class State extends ListScan {

        @Override
        public RealServer schedule(final Flow flow) {
            final LoadBoard b = board();
            final int n = b.size();
            int highest = -1;
            int highestWeight = 0;
            for (int i = 0; i < n; i++) {
                final long word = b.active(i);
                final int weight = LoadBoard.weight(word);
                // weight 0 (quiescent or overloaded) never beats highestWeight, which starts at 0.
                if (weight > highestWeight && LoadBoard.value(word) <= weight) {
                    highest = i;
                    highestWeight = weight;
                }
            }
            return highest < 0 ? null : b.get(highest);
        }
    }
}
