package io.jvs.core.svc;

import io.jvs.api.DestinationConfig;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceKey;
import io.jvs.api.SyncDaemon;
import io.jvs.api.TableCommand;
import io.jvs.api.TableException;
import io.jvs.api.TableException.Reason;
import io.jvs.api.Timeouts;
import io.jvs.api.TunnelType;
import io.jvs.core.stats.Counters;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A working copy of the table that a list of commands is applied to. Nothing it does is visible until
 * {@link #build} turns it into the next snapshot, so a refused command leaves the live table untouched.
 * Validation here is what the kernel does (its errno becomes the {@link Reason}); ipvsadm's own argument
 * checks live in the command-line front end.
 */
final class TableDraft {
    private final TableSnapshot base;
    private final Map<ServiceKey, Service> services;
    /** The scheduler names a service may use; null while restoring, when any name is accepted. */
    private final Set<String> schedulers;
    private final Counters totals;
    private final List<Runnable> onCommit = new ArrayList<>();
    private final DestinationTrash trash;
    /** Realservers deleted by this batch, which a later add in it revives as it would from the trash. */
    private final Map<DestinationTrash.Key, DestinationState> deletedHere = new HashMap<>();
    private boolean deletedAny;
    /** The realservers of the table the batch builds, filled by {@link #commit} when it deleted any. */
    private final Set<DestinationState> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private Timeouts timeouts;
    private SyncDaemon master;
    private SyncDaemon backup;
    private boolean changed;
    private int index;

    TableDraft(final TableSnapshot base, final Set<String> schedulers, final Counters totals,
               final DestinationTrash trash) {
        this.base = base;
        this.trash = trash;
        this.totals = totals;
        this.services = new LinkedHashMap<>(base.services());
        this.schedulers = schedulers;
        this.timeouts = base.timeouts();
        for (final SyncDaemon d : base.daemons()) {
            if (d.state() == SyncDaemon.State.MASTER) {
                master = d;
            } else {
                backup = d;
            }
        }
    }

    void apply(final int commandIndex, final TableCommand command) throws TableException {
        index = commandIndex;
        if (command instanceof TableCommand.AddService c) {
            addService(c.config());
        } else if (command instanceof TableCommand.EditService c) {
            editService(c.config());
        } else if (command instanceof TableCommand.DeleteService c) {
            deleted(service(c.key()));
            services.remove(c.key());
        } else if (command instanceof TableCommand.Clear) {
            services.values().forEach(this::deleted);
            services.clear();
        } else if (command instanceof TableCommand.AddDestination c) {
            addDestination(c.service(), c.config());
        } else if (command instanceof TableCommand.EditDestination c) {
            editDestination(c.service(), c.config());
        } else if (command instanceof TableCommand.DeleteDestination c) {
            deleteDestination(c.service(), c.endpoint());
        } else if (command instanceof TableCommand.Zero c) {
            zero(c.service());
            return;
        } else if (command instanceof TableCommand.SetTimeouts c) {
            timeouts = c.timeouts().over(timeouts);
        } else if (command instanceof TableCommand.StartDaemon c) {
            startDaemon(c.daemon());
        } else if (command instanceof TableCommand.StopDaemon c) {
            stopDaemon(c.state());
        } else {
            throw refuse(Reason.INVALID, "unknown command " + command);
        }
        changed = true;
    }

    /** Whether any command changed configuration (a batch of only -Z does not). */
    boolean changed() {
        return changed;
    }

    TableSnapshot build() {
        final List<SyncDaemon> daemons = new ArrayList<>(2);
        if (master != null) {
            daemons.add(master);
        }
        if (backup != null) {
            daemons.add(backup);
        }
        return new TableSnapshot(services, timeouts, daemons, base.generation() + (changed ? 1 : 0));
    }

    /** Side effects on live state (overload flags, counters) that must wait until the batch is accepted. */
    void commit() {
        if (deletedAny) {
            // Which realservers are left: only a batch that deleted some asks (a restore of 10,000 services does not).
            for (final Service svc : services.values()) {
                for (final Destination d : svc.destinations()) {
                    live.add(d.state());
                }
            }
        }
        for (final Runnable r : onCommit) {
            r.run();
        }
    }

    private void addService(final ServiceConfig config) throws TableException {
        if (services.containsKey(config.key())) {
            throw refuse(Reason.EXISTS, "service " + config.key() + " exists");
        }
        checkService(config);
        services.put(config.key(), new Service(config, List.of(), new ServiceState()));
    }

    private void editService(final ServiceConfig config) throws TableException {
        final Service old = service(config.key());
        checkService(config);
        services.put(config.key(), new Service(config, old.destinations(), old.state()));
    }

    /**
     * A deleted service's realservers go to the trash when the batch commits, as {@code __ip_vs_del_service}
     * deletes each: their connections are dropped until a service of the same key takes them back.
     */
    private void deleted(final Service svc) {
        for (final Destination d : svc.destinations()) {
            trashed(svc.config().key(), d.state());
        }
    }

    private void checkService(final ServiceConfig config) throws TableException {
        if (schedulers != null && !schedulers.contains(config.scheduler())) {
            throw refuse(Reason.NO_SCHEDULER, "scheduler " + config.scheduler() + " not found");
        }
        final ServiceKey key = config.key();
        if (config.onePacket() && (key.isFwmark() || key.protocol() != Protocol.UDP)) {
            throw refuse(Reason.INVALID, "one-packet scheduling is only for UDP services");
        }
        if (!key.isFwmark() && key.port() == 0 && !config.persistent()) {
            throw refuse(Reason.INVALID, "port 0 is only valid for a persistent service");
        }
        if (config.persistent() && config.timeout() <= 0) {
            throw refuse(Reason.INVALID, "persistence timeout must be positive");
        }
        if (key.isIpv6() && (config.netmask() < 1 || config.netmask() > 128)) {
            throw refuse(Reason.INVALID, "IPv6 persistence prefix length must be 1..128");
        }
    }

    private void addDestination(final ServiceKey key, final DestinationConfig config) throws TableException {
        final Service svc = service(key);
        checkDestination(svc.config(), config);
        if (svc.indexOf(config.endpoint()) >= 0) {
            throw refuse(Reason.EXISTS, "destination " + config.endpoint() + " exists");
        }
        final DestinationState trashed = revivable(key, config.endpoint());
        final DestinationState state;
        if (trashed == null) {
            state = new DestinationState(config, svc.counters());
        } else {
            state = trashed;
            final DestinationConfig before = trashed.config();
            onCommit.add(() -> {
                trash.remove(key, trashed);
                trashed.revived(before, config, svc.counters());
            });
        }
        // The kernel adds a new destination at the head of the service's list.
        final List<Destination> dests = new ArrayList<>(svc.destinations().size() + 1);
        dests.add(new Destination(config, state));
        dests.addAll(svc.destinations());
        services.put(key, new Service(svc.config(), dests, svc.state()));
    }

    private void editDestination(final ServiceKey key, final DestinationConfig config) throws TableException {
        final Service svc = service(key);
        checkDestination(svc.config(), config);
        final int i = svc.indexOf(config.endpoint());
        if (i < 0) {
            throw refuse(Reason.NO_DESTINATION, "no destination " + config.endpoint());
        }
        final Destination old = svc.destinations().get(i);
        final List<Destination> dests = new ArrayList<>(svc.destinations());
        dests.set(i, new Destination(config, old.state()));
        services.put(key, new Service(svc.config(), dests, svc.state()));
        onCommit.add(() -> old.state().edited(old.config(), config));
    }

    private void deleteDestination(final ServiceKey key, final Endpoint endpoint) throws TableException {
        final Service svc = service(key);
        final int i = svc.indexOf(endpoint);
        if (i < 0) {
            throw refuse(Reason.NO_DESTINATION, "no destination " + endpoint);
        }
        final List<Destination> dests = new ArrayList<>(svc.destinations());
        trashed(key, dests.remove(i).state());
        services.put(key, new Service(svc.config(), dests, svc.state()));
    }

    /**
     * A realserver leaves service {@code key}: unavailable and in the trash once the batch commits, unless a later
     * command of the batch took it back (it then never stops being available, not even between the two).
     */
    private void trashed(final ServiceKey key, final DestinationState gone) {
        deletedAny = true;
        deletedHere.put(new DestinationTrash.Key(key, gone.config().endpoint()), gone);
        onCommit.add(() -> {
            if (!live.contains(gone)) {
                gone.deleted();
                trash.put(key, gone);
            }
        });
    }

    /** The deleted realserver that adding {@code endpoint} to service {@code key} revives (this batch's first), or null. */
    private DestinationState revivable(final ServiceKey key, final Endpoint endpoint) {
        final DestinationState deleted = deletedHere.remove(new DestinationTrash.Key(key, endpoint));
        return deleted != null ? deleted : trash.find(key, endpoint);
    }

    private void checkDestination(final ServiceConfig svc, final DestinationConfig d) throws TableException {
        if (d.lowerThreshold() > d.upperThreshold() || d.lowerThreshold() < 0
                || d.upperThreshold() < 0) {
            throw refuse(Reason.OUT_OF_RANGE, "lower threshold is higher than upper threshold");
        }
        if (d.method() == ForwardingMethod.TUNNEL && d.tunnelType() == TunnelType.GUE && d.tunnelPort() == 0) {
            throw refuse(Reason.INVALID, "GUE tunnel needs a port");
        }
        if (d.endpoint().address().getAddress().length != (svc.key().isIpv6() ? 16 : 4)
                && d.method() != ForwardingMethod.TUNNEL) {
            // Mixed address families only work through a tunnel, as in the kernel.
            throw refuse(Reason.INVALID, "realserver address family differs from the service's");
        }
    }

    private void zero(final ServiceKey key) throws TableException {
        if (key == null) {
            // As ip_vs_zero_all: every service, every realserver and the director's totals.
            onCommit.add(totals::zero);
            for (final Service s : services.values()) {
                onCommit.add(() -> zero(s));
            }
        } else {
            final Service s = service(key);
            onCommit.add(() -> zero(s));
        }
    }

    private static void zero(final Service s) {
        s.counters().zero();
        for (final Destination d : s.destinations()) {
            d.state().counters().zero();
        }
    }

    private void startDaemon(final SyncDaemon daemon) throws TableException {
        final boolean isMaster = daemon.state() == SyncDaemon.State.MASTER;
        if ((isMaster ? master : backup) != null) {
            throw refuse(Reason.DAEMON_RUNNING, daemon.state().word() + " sync daemon is running");
        }
        if (daemon.syncId() < 0 || daemon.syncId() > 255) {
            throw refuse(Reason.INVALID, "syncid must be 0..255");
        }
        if (!interfaceExists(daemon.mcastInterface())) {
            throw refuse(Reason.NO_DEVICE, "no interface " + daemon.mcastInterface());
        }
        if (isMaster) {
            master = daemon;
        } else {
            backup = daemon;
        }
    }

    private void stopDaemon(final SyncDaemon.State state) throws TableException {
        if (state == SyncDaemon.State.MASTER ? master == null : backup == null) {
            throw refuse(Reason.NO_DAEMON, "no " + state.word() + " sync daemon");
        }
        if (state == SyncDaemon.State.MASTER) {
            master = null;
        } else {
            backup = null;
        }
    }

    private static boolean interfaceExists(final String name) {
        try {
            return NetworkInterface.getByName(name) != null;
        } catch (final SocketException e) {
            return false;
        }
    }

    private Service service(final ServiceKey key) throws TableException {
        final Service s = services.get(key);
        if (s == null) {
            throw refuse(Reason.NO_SERVICE, "no service " + key);
        }
        return s;
    }

    private TableException refuse(final Reason reason, final String detail) {
        return new TableException(reason, index, detail);
    }
}
