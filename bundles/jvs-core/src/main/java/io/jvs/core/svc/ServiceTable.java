package io.jvs.core.svc;

import io.jvs.api.ConnectionEntry;
import io.jvs.api.ServiceInfo;
import io.jvs.api.ServiceKey;
import io.jvs.api.Stats;
import io.jvs.api.SyncDaemon;
import io.jvs.api.TableCommand;
import io.jvs.api.TableException;
import io.jvs.api.Timeouts;
import io.jvs.api.VirtualServerTable;
import io.jvs.core.stats.Counters;
import io.jvs.core.stats.RateEstimator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import io.jvs.api.sched.Scheduler;

/**
 * The director's virtual server table. Writers are serialised and apply whole command lists to a draft;
 * an accepted list becomes the next {@link TableSnapshot}, published with one volatile write. Readers
 * take {@link #snapshot()} and never block.
 *
 * <p>Runs as a Declarative Services component inside the appliance and, through {@code ServiceLoader},
 * on a plain module path for those who embed the core without OSGi.
 *
 * <p>The rate estimator of the director, its services and realservers starts with the first applied command
 * and runs on a daemon thread until {@link #close()}.
 */
@Component(service = VirtualServerTable.class)
public final class ServiceTable implements VirtualServerTable, AutoCloseable {
    /** Buckets of the connection table, as the kernel's default conn_tab_bits 12 gives. */
    public static final int CONNECTION_TABLE_SIZE = 4096;
    /** The schedulers IPVS ships; scheduler bundles may add more names. */
    public static final Set<String> IPVS_SCHEDULERS =
            Set.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos");

    private final Object writeLock = new Object();
    /** Registered scheduler names beyond IPVS's, with how many registrations carry each (two bundles may register one name). */
    private final Map<String, Integer> extraSchedulers = new ConcurrentHashMap<>();
    /** Registered schedulers by name, the newest last; with none left for a name its services fall back (an OSGi update unregisters first). */
    private final Map<String, List<Scheduler>> registry = new HashMap<>();   // guarded by writeLock
    private final Counters totals = new Counters();
    private final DestinationTrash trash = new DestinationTrash();
    private volatile TableSnapshot snapshot = TableSnapshot.EMPTY;
    private final List<Consumer<TableSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private volatile Supplier<List<ConnectionEntry>> connectionSource = List::of;
    private final RateEstimator estimator = new RateEstimator(this::forEachCounters);

    /** The table as it is now. */
    public TableSnapshot snapshot() {
        return snapshot;
    }

    /** Counters of the whole director, which the packet path adds to. */
    public Counters totalCounters() {
        return totals;
    }

    /** The realservers deleted from this table that adding them to a service of their old key would revive. */
    DestinationTrash trash() {
        return trash;
    }

    /**
     * The deleted realservers that connections or persistence templates still point to, with the key of the service
     * they were in: their traffic is still the core's (a NAT realserver's replies are still rewritten).
     */
    public List<Map.Entry<ServiceKey, DestinationState>> trashedInUse() {
        final List<Map.Entry<ServiceKey, DestinationState>> out = new ArrayList<>();
        trash.forEachInUse((key, state) -> out.add(Map.entry(key, state)));
        return out;
    }

    /** How many realservers were ever deleted (from their service or with it): moves with each deletion. */
    public long deletions() {
        return trash.deletions();
    }

    /**
     * Housekeeping of the services' schedulers (lblc/lblcr cache expiry) and of the trash; called about once a
     * second by the data plane.
     */
    public void expire(final long nowMillis) {
        for (final Service s : snapshot.services().values()) {
            s.state().expire(nowMillis);
        }
        trash.expire(nowMillis);
    }

    /** The estimator of this table's counters. */
    RateEstimator estimator() {
        return estimator;
    }

    /** Stops the rate estimator's thread. The table stays usable; its rates no longer move. */
    @Override
    @Deactivate
    public void close() {
        estimator.close();
    }

    @Override
    public long apply(final List<TableCommand> commands) throws TableException {
        return apply(commands, schedulers());
    }

    /** Accepts any scheduler name: a service whose scheduler is not registered yet uses the fallback. */
    @Override
    public long restore(final List<TableCommand> commands) throws TableException {
        return apply(commands, null);
    }

    private long apply(final List<TableCommand> commands, final Set<String> knownSchedulers)
            throws TableException {
        // Started here, not in the constructor, so tables that are only read never own a thread.
        estimator.start();
        synchronized (writeLock) {
            final TableDraft draft = new TableDraft(snapshot, knownSchedulers, totals, trash);
            for (int i = 0; i < commands.size(); i++) {
                draft.apply(i, commands.get(i));
            }
            draft.commit();
            if (draft.changed()) {
                final TableSnapshot next = draft.build();
                bindSchedulers(next, null);
                snapshot = next;
                for (final Consumer<TableSnapshot> l : listeners) {
                    l.accept(next);
                }
            }
            return snapshot.generation();
        }
    }

    @Override
    public List<ServiceInfo> services() {
        final TableSnapshot s = snapshot;
        final List<ServiceInfo> out = new ArrayList<>(s.services().size());
        for (final Service svc : s.services().values()) {
            out.add(svc.info());
        }
        return out;
    }

    @Override
    public Optional<ServiceInfo> service(final ServiceKey key) {
        final Service svc = snapshot.services().get(key);
        return svc == null ? Optional.empty() : Optional.of(svc.info());
    }

    @Override
    public Stats totals() {
        return totals.snapshot();
    }

    @Override
    public Timeouts timeouts() {
        return snapshot.timeouts();
    }

    @Override
    public List<SyncDaemon> daemons() {
        return snapshot.daemons();
    }

    /** Connections live in the packet core's connection table; with no data plane attached there are none. */
    @Override
    public List<ConnectionEntry> connections() {
        return connectionSource.get();
    }

    /** Where {@link #connections()} reads from: the data plane attaches its connection table here. */
    public void connectionSource(final Supplier<List<ConnectionEntry>> source) {
        connectionSource = source == null ? List::of : source;
    }

    /**
     * Calls {@code listener} with every new snapshot, under the write lock, right after it is published; and
     * once now with the current one. Listeners must be quick (the packet core compiles its index here).
     */
    public void addListener(final Consumer<TableSnapshot> listener) {
        synchronized (writeLock) {
            listeners.add(listener);
            listener.accept(snapshot);
        }
    }

    public void removeListener(final Consumer<TableSnapshot> listener) {
        listeners.remove(listener);
    }

    @Override
    public int connectionTableSize() {
        return CONNECTION_TABLE_SIZE;
    }

    @Override
    public Set<String> schedulers() {
        if (extraSchedulers.isEmpty()) {
            return IPVS_SCHEDULERS;
        }
        final Set<String> all = new java.util.HashSet<>(IPVS_SCHEDULERS);
        all.addAll(extraSchedulers.keySet());
        return all;
    }

    /**
     * Makes a scheduler name acceptable to {@code -A/-E} while a scheduler of that name is registered.
     * IPVS's own names are always accepted, so a saved table restores whatever order bundles start in.
     */
    public void addSchedulerName(final String name) {
        if (!IPVS_SCHEDULERS.contains(name)) {
            extraSchedulers.merge(name, 1, Integer::sum);
        }
    }

    public void removeSchedulerName(final String name) {
        extraSchedulers.computeIfPresent(name, (k, n) -> n == 1 ? null : n - 1);
    }

    /**
     * Registers a scheduler under its {@link Scheduler#name()}; services using that name switch to it at once
     * (their established connections stay where they are). How embedders without OSGi plug schedulers in.
     */
    public void addScheduler(final Scheduler scheduler) {
        addScheduler(scheduler.name(), scheduler);
    }

    /** Unregisters a scheduler; its services fall back (logged, counted) until another of the name appears. */
    public void removeScheduler(final Scheduler scheduler) {
        removeScheduler(scheduler.name(), scheduler);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindScheduler(final Scheduler scheduler, final Map<String, Object> properties) {
        addScheduler(name(scheduler, properties), scheduler);
    }

    void unbindScheduler(final Scheduler scheduler, final Map<String, Object> properties) {
        removeScheduler(name(scheduler, properties), scheduler);
    }

    private void addScheduler(final String name, final Scheduler scheduler) {
        synchronized (writeLock) {
            addSchedulerName(name);
            registry.computeIfAbsent(name, k -> new ArrayList<>()).add(scheduler);
            bindSchedulers(snapshot, name);
        }
    }

    private void removeScheduler(final String name, final Scheduler scheduler) {
        synchronized (writeLock) {
            final List<Scheduler> list = registry.get(name);
            if (list != null && list.remove(scheduler)) {
                if (list.isEmpty()) {
                    registry.remove(name);
                }
                removeSchedulerName(name);
                bindSchedulers(snapshot, name);
            }
        }
    }

    /** The scheduler registered last under a name, or null. */
    private Scheduler registered(final String name) {
        final List<Scheduler> list = registry.get(name);
        return list == null ? null : list.get(list.size() - 1);
    }

    /** Binds the schedulers of a table's services (only those using {@code onlyName} when given). */
    private void bindSchedulers(final TableSnapshot table, final String onlyName) {
        for (final Service s : table.services().values()) {
            final String name = s.config().scheduler();
            if (onlyName == null || onlyName.equals(name)) {
                s.state().bind(s, registered(name));
            }
        }
    }

    private static String name(final Scheduler scheduler, final Map<String, Object> properties) {
        final Object p = properties.get(Scheduler.PROPERTY);
        return p instanceof String ? (String) p : scheduler.name();
    }

    /** The director's totals, then every service's counters followed by those of its realservers. */
    private void forEachCounters(final Consumer<Counters> action) {
        action.accept(totals);
        for (final Service s : snapshot.services().values()) {
            action.accept(s.counters());
            for (final Destination d : s.destinations()) {
                action.accept(d.state().counters());
            }
        }
    }

    @Override
    public long generation() {
        return snapshot.generation();
    }
}
