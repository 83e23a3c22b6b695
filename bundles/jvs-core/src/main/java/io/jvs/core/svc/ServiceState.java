package io.jvs.core.svc;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.LoadBoard;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.SchedulerContext;
import io.jvs.api.sched.ServiceScheduler;
import io.jvs.core.stats.Counters;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live state of a virtual service that survives edits: its counters and its scheduler instance
 * ({@code svc->scheduler} and {@code sched_data}). The control plane binds the scheduler; packet workers
 * call {@link #schedule} concurrently.
 *
 * <p>When no scheduler of the configured name is registered (its bundle is being updated or is gone), or the
 * registered one throws when given the realservers, the service keeps scheduling with {@link FallbackScheduler}, logs the switch once and counts each decision
 * in {@link #fallbackDecisions()}; a registered scheduler takes over again as soon as it appears.
 */
public final class ServiceState implements SchedulerContext {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceState.class);

    private final Counters counters = new Counters();
    private final LongAdder fallbackDecisions = new LongAdder();
    private volatile int schedFlags;
    private volatile ServiceScheduler scheduler;
    private volatile boolean fallback;
    // Control plane only, under the table's write lock.
    private Scheduler boundFrom;
    private List<Destination> boundDests;
    private LoadBoard board = LoadBoard.empty();

    public Counters counters() {
        return counters;
    }

    /** Chooses the realserver of a new connection, or null when none is available. */
    public DestinationState schedule(final Flow flow) {
        final ServiceScheduler s = scheduler;
        if (s == null) {
            return null;
        }
        if (s instanceof FallbackScheduler) {
            fallbackDecisions.increment();
        }
        return (DestinationState) s.schedule(flow);
    }

    /** Decisions made by the fallback scheduler because the configured one was not registered. */
    public long fallbackDecisions() {
        return fallbackDecisions.sum();
    }

    public boolean isFallback() {
        return fallback;
    }

    /** Scheduler housekeeping (lblc/lblcr cache expiry); called periodically through {@link ServiceTable#expire}. */
    void expire(final long nowMillis) {
        final ServiceScheduler s = scheduler;
        if (s != null) {
            s.expire(nowMillis);
        }
    }

    /**
     * Brings the scheduler in line with the service: a new instance when the algorithm (or the registered
     * implementation of its name) changed, an {@code update} when the realservers did.
     */
    void bind(final Service service, final Scheduler registered) {
        schedFlags = service.config().schedFlags();
        final String name = service.config().scheduler();
        final boolean destsChanged = boundDests != service.destinations();
        if (destsChanged) {
            board = loadBoard(service.destinations());
            boundDests = service.destinations();
        }
        final boolean fresh = registered != boundFrom || scheduler == null;
        if (!fresh && !destsChanged) {
            return;
        }
        if (fresh) {
            if (registered == null) {
                LOG.warn("Scheduler {} of service {} is not registered: scheduling round robin until it is",
                        name, service.config().key());
            } else if (fallback) {
                LOG.info("Scheduler {} of service {} is registered again", name, service.config().key());
            }
            boundFrom = registered;
        }
        ServiceScheduler next = fresh ? null : scheduler;
        try {
            if (fresh && registered != null) {
                next = registered.create(this);
            }
            if (next != null) {
                next.update(board);
            }
        } catch (final RuntimeException e) {
            // Left on its old board it would decide on loads nobody updates any more.
            LOG.error("Scheduler {} of service {} failed to take its realservers: scheduling round robin until "
                    + "its bundle changes", name, service.config().key(), e);
            next = null;
        }
        if (next == null) {
            next = new FallbackScheduler();
            next.update(board);
        }
        scheduler = next;
        fallback = next instanceof FallbackScheduler;
    }

    /** A board of the realservers in list order, each attached to its slot before any scheduler sees it. */
    private static LoadBoard loadBoard(final List<Destination> destinations) {
        final List<DestinationState> states = destinations.stream().map(Destination::state).toList();
        final LoadBoard next = LoadBoard.pushed(states);
        for (int i = 0; i < states.size(); i++) {
            states.get(i).attach(next, i);
        }
        return next;
    }

    @Override
    public int schedFlags() {
        return schedFlags;
    }

    @Override
    public long nowMillis() {
        return System.nanoTime() / 1_000_000L;
    }

    @Override
    public int nextRandom() {
        return ThreadLocalRandom.current().nextInt();
    }

    /** Round robin over available realservers: what a service uses while its scheduler is missing. */
    static final class FallbackScheduler implements ServiceScheduler {
        private volatile RealServer[] dests = new RealServer[0];
        private int cursor;

        @Override
        public void update(final List<? extends RealServer> destinations) {
            dests = destinations.toArray(new RealServer[0]);
        }

        @Override
        public RealServer schedule(final Flow flow) {
            final RealServer[] d = dests;
            synchronized (this) {
                for (int i = 1; i <= d.length; i++) {
                    final RealServer r = d[(cursor + i) % d.length];
                    if (r.weight() > 0 && !r.isOverloaded()) {
                        cursor = (cursor + i) % d.length;
                        return r;
                    }
                }
            }
            return null;
        }
    }
}
