package io.jvs.sched.classic;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Component;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.SchedulerContext;
import io.jvs.api.sched.ServiceScheduler;

/**
 * Weighted round-robin ({@code ip_vs_wrr.c}).
 *
 * <p>State: {@code cl}, the destination chosen last (initially the list head); {@code di}, the gcd of all positive
 * weights (1 when there are none); {@code mw}, the maximum weight reduced by {@code di - 1}, so that the last pass
 * runs with a required weight of 1 and catches a destination whose weight fell below {@code di}; and {@code cw}, the
 * weight currently required. A decision continues the scan after {@code cl} and takes the first destination that is
 * not overloaded and has {@code weight >= cw}. At the end of the list {@code cw} drops by {@code di}; at 0 or below
 * it restarts at {@code mw}. With weights A=4, B=3, C=2 in that list order the sequence is A A B A B C A B C. When
 * every destination is overloaded the scan gives up after one full pass with {@code cw <= di}.
 *
 * <p>Any change of destinations resets {@code cl} to the head and recomputes {@code di} and {@code mw}; {@code cw}
 * becomes {@code mw} when it exceeds it or is 0, otherwise, when {@code di > 1}, it is realigned to
 * {@code (cw / di) * di + 1}. {@code cl} and {@code cw} move together by one compare-and-set of a {@code long}:
 * decisions of concurrent workers are serialised as the kernel's {@code svc->sched_lock} serialises them, without a
 * lock.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=wrr")
public final class WeightedRoundRobin implements Scheduler {
    @Override
    public String name() {
        return "wrr";
    }

    @Override
    public ServiceScheduler create(final SchedulerContext context) {
        return new State();
    }

    private static final class State implements ServiceScheduler {
        private static final int HEAD = -1;
        private static final int NO_STOP = -2;

        /** The position of a plan that an update has replaced: decisions wait for the new one. */
        private static final long FROZEN = Long.MIN_VALUE;

        /** What an update fixes (the list, gcd, reduced maximum weight) and the position {@code cl << 32 | cw}. */
        private record Plan(RealServer[] dests, int di, int mw, AtomicLong position) {
        }

        private volatile Plan plan = new Plan(Loads.NONE, 1, 0, new AtomicLong(pack(HEAD, 0)));

        private static long pack(final int cl, final int cw) {
            return ((long) cl << 32) | (cw & 0xFFFF_FFFFL);
        }

        @Override
        public synchronized void update(final List<? extends RealServer> destinations) {
            final RealServer[] next = Loads.snapshot(destinations);
            int g = 0;
            int max = 0;
            for (final RealServer dest : next) {
                final int weight = dest.weight();
                if (weight > 0) {
                    g = g > 0 ? Loads.gcd(weight, g) : weight;
                }
                max = Math.max(max, weight);
            }
            final int di = g > 0 ? g : 1;
            final int mw = max - (di - 1);
            // Freezing the old position makes a racing decision retry on the new plan instead of moving it.
            int cw = (int) plan.position.getAndSet(FROZEN);
            if (cw > mw || cw == 0) {
                cw = mw;
            } else if (di > 1) {
                cw = (cw / di) * di + 1;
            }
            plan = new Plan(next, di, mw, new AtomicLong(pack(HEAD, cw)));
        }

        @Override
        public RealServer schedule(final Flow flow) {
            while (true) {
                final Plan p = plan;
                final long before = p.position.get();
                if (before == FROZEN) {
                    Thread.onSpinWait();
                    continue;
                }
                if (p.mw == 0) {
                    return null;                                   // no destination available
                }
                final RealServer[] d = p.dests;
                final int n = d.length;
                final int last = (int) (before >> 32);
                int cw = (int) before;
                int stop = NO_STOP;
                boolean lastPass = false;
                boolean restarted = false;
                int chosen = -1;
                int cl = last;
                int i = last;
                scan:
                while (true) {
                    for (i++; i < n; i++) {
                        final RealServer dest = d[i];
                        if (!dest.isOverloaded() && dest.weight() >= cw) {
                            cl = i;
                            chosen = i;
                            break scan;
                        }
                        if (i == stop) {
                            cl = i;
                            break scan;                            // all destinations are overloaded
                        }
                    }
                    i = HEAD;
                    cw -= p.di;
                    if (cw <= 0) {
                        cw = p.mw;
                        // The last pass (cw <= di, so effectively weight >= 1) already covered every destination.
                        if (lastPass || last == HEAD) {
                            cl = HEAD;
                            break;                                 // all destinations are overloaded
                        }
                        restarted = true;
                    }
                    lastPass = cw <= p.di;
                    if (lastPass && restarted && last != HEAD) {
                        stop = last;                               // the first last pass began after 'last': finish it
                    }
                }
                if (p.position.compareAndSet(before, pack(cl, cw))) {
                    return chosen < 0 ? null : d[chosen];
                }
            }
        }
    }
}
