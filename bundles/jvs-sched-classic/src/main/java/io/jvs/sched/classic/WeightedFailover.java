package io.jvs.sched.classic;

import org.osgi.service.component.annotations.Component;

import io.jvs.api.sched.Flow;
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
            final RealServer[] d = dests();
            RealServer highest = null;
            int highestWeight = 0;
            for (final RealServer dest : d) {
                final int weight = dest.weight();
                if (!dest.isOverloaded() && weight > highestWeight) {
                    highest = dest;
                    highestWeight = weight;
                }
            }
            return highest;
        }
    }
}
