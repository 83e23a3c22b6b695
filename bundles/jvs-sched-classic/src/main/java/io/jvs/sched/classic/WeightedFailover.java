package io.jvs.sched.classic;

import org.osgi.service.component.annotations.Component;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.LoadBoard;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.SchedulerContext;
import io.jvs.api.sched.ServiceScheduler;

/**
 * Weighted fail-over ({@code ip_vs_fo.c}).
 *
 * <p>All new connections go to the destination with the highest weight among those not overloaded; quiescent ones
 * (weight 0) never qualify. Ties go to the earlier destination in list order. Lower weights are the standbys.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=fo")
public final class WeightedFailover implements Scheduler {
    @Override
    public String name() {
        return "fo";
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
                final int weight = LoadBoard.weight(b.load(i));
                if (weight > highestWeight) {
                    highest = i;
                    highestWeight = weight;
                }
            }
            return highest < 0 ? null : b.get(highest);
        }
    }
}
