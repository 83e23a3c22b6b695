package io.jvs.sched.classic;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.SchedulerContext;
import io.jvs.api.sched.ServiceScheduler;

/**
 * Weighted random "power of two choices" least-connection ({@code ip_vs_twos.c}; Mitzenmacher, Richa and Sitaraman,
 * "The Power of Two Random Choices").
 *
 * <p>Over the destinations neither overloaded nor quiescent, {@code total} is the sum of their weights plus 1. Two
 * random numbers {@code r1 = rand % total} and {@code r2 = rand % total} (unsigned) are drawn. Walking the list, each
 * eligible destination subtracts its weight from both; choice k is the first destination at which {@code rk} drops
 * to 0 or below. The second choice wins when its weighted load is strictly smaller:
 * {@code weight2 * overhead1 > weight1 * overhead2}, with {@code overhead = activeconns * 256 + inactconns}. The
 * first eligible destination covers one value more than its weight ({@code r = 0}), exactly as in the kernel.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=twos")
public final class PowerOfTwosChoice implements Scheduler {
    @Override
    public String name() {
        return "twos";
    }

    @Override
    public ServiceScheduler create(final SchedulerContext context) {
        return new State(context);
    }

    private static final class State implements ServiceScheduler {
        private final SchedulerContext context;
        private volatile RealServer[] dests = Loads.NONE;

        State(final SchedulerContext context) {
            this.context = context;
        }

        @Override
        public void update(final List<? extends RealServer> destinations) {
            dests = Loads.snapshot(destinations);
        }

        @Override
        public RealServer schedule(final Flow flow) {
            final RealServer[] d = dests;
            RealServer choice1 = null;
            int total = 0;
            for (final RealServer dest : d) {
                if (!dest.isOverloaded()) {
                    final int weight = dest.weight();
                    if (weight > 0) {
                        total += weight;
                        choice1 = dest;
                    }
                }
            }
            if (choice1 == null) {
                return null;
            }
            total += 1;
            int r1 = Integer.remainderUnsigned(context.nextRandom(), total);
            int r2 = Integer.remainderUnsigned(context.nextRandom(), total);
            RealServer choice2 = null;
            int weight1 = -1;
            int weight2 = -1;
            long overhead1 = 0;
            long overhead2 = 0;
            for (final RealServer dest : d) {
                if (dest.isOverloaded()) {
                    continue;
                }
                final int weight = dest.weight();
                if (weight <= 0) {
                    continue;
                }
                r1 -= weight;
                r2 -= weight;
                if (r1 <= 0 && weight1 == -1) {
                    choice1 = dest;
                    weight1 = weight;
                    overhead1 = Loads.overhead(dest);
                }
                if (r2 <= 0 && weight2 == -1) {
                    choice2 = dest;
                    weight2 = weight;
                    overhead2 = Loads.overhead(dest);
                }
                if (weight1 != -1 && weight2 != -1) {
                    break;
                }
            }
            if (choice2 != null && weight2 * overhead1 > weight1 * overhead2) {
                return choice2;
            }
            return choice1;
        }
    }
}
