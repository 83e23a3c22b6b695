package io.jvs.sched.classic;

import org.osgi.service.component.annotations.Component;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.LoadBoard;
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

    private static final class State extends ListScan {
        private final SchedulerContext context;

        State(final SchedulerContext context) {
            this.context = context;
        }

        @Override
        public RealServer schedule(final Flow flow) {
            final LoadBoard b = board();
            // The board keeps the eligible weight sum and its prefix sums: both passes of the kernel become two
            // O(log n) walks.
            final long sum = b.eligibleWeight();
            if (sum > 0 && sum < Integer.MAX_VALUE) {
                final int total = (int) sum + 1;
                final int i1 = b.weightedPosition(Integer.remainderUnsigned(context.nextRandom(), total));
                final int i2 = b.weightedPosition(Integer.remainderUnsigned(context.nextRandom(), total));
                if (i1 >= 0 && i2 >= 0) {
                    final long word1 = b.load(i1);
                    final long word2 = b.load(i2);
                    if (LoadBoard.weight(word1) != 0 && LoadBoard.weight(word2) != 0) {
                        final long w2o1 = LoadBoard.weight(word2) * LoadBoard.value(word1);
                        final long w1o2 = LoadBoard.weight(word1) * LoadBoard.value(word2);
                        return b.get(w2o1 > w1o2 ? i2 : i1);
                    }
                }
            }
            // None eligible, or the weights changed under us: the kernel's two passes.
            final int n = b.size();
            long total = 0;
            int last = -1;
            for (int i = 0; i < n; i++) {
                final int weight = LoadBoard.weight(b.load(i));
                if (weight != 0) {
                    total += weight;
                    last = i;
                }
            }
            return last < 0 ? null : pick(b, total, last);
        }

        /**
         * The kernel's second pass over eligible weights summing to {@code total}; {@code last} is the last eligible
         * destination, the kernel's first choice when the first random weight is never reached.
         */
        private RealServer pick(final LoadBoard b, final long total, final int last) {
            final int n = b.size();
            long r1 = Long.remainderUnsigned(context.nextRandom() & 0xFFFF_FFFFL, total + 1);
            long r2 = Long.remainderUnsigned(context.nextRandom() & 0xFFFF_FFFFL, total + 1);
            int choice1 = last;
            int choice2 = -1;
            long weight1 = -1;
            long weight2 = -1;
            long overhead1 = 0;
            long overhead2 = 0;
            for (int i = 0; i < n; i++) {
                final long word = b.load(i);
                final int weight = LoadBoard.weight(word);
                if (weight == 0) {
                    continue;
                }
                r1 -= weight;
                r2 -= weight;
                if (r1 <= 0 && weight1 == -1) {
                    choice1 = i;
                    weight1 = weight;
                    overhead1 = LoadBoard.value(word);
                }
                if (r2 <= 0 && weight2 == -1) {
                    choice2 = i;
                    weight2 = weight;
                    overhead2 = LoadBoard.value(word);
                }
                if (weight1 != -1 && weight2 != -1) {
                    break;
                }
            }
            if (choice2 >= 0 && weight2 * overhead1 > weight1 * overhead2) {
                return b.get(choice2);
            }
            return b.get(choice1);
        }
    }
}
