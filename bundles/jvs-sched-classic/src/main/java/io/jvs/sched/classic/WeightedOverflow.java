package io.jvs.sched.classic;

import org.osgi.service.component.annotations.Component;

import io.jvs.api.sched.Flow;
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
            final RealServer[] d = dests();
            RealServer highest = null;
            int highestWeight = 0;
            for (final RealServer dest : d) {
                final int weight = dest.weight();
                if (dest.isOverloaded() || dest.activeConns() > weight || weight == 0) {
                    continue;
                }
                if (highest == null || weight > highestWeight) {
                    highest = dest;
                    highestWeight = weight;
                }
            }
            return highest;
        }
    }
}
