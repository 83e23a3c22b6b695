package io.jvs.admin.cli;

import io.jvs.api.ConnectionEntry;
import io.jvs.api.ServiceInfo;
import io.jvs.api.ServiceKey;
import io.jvs.api.Stats;
import io.jvs.api.SyncDaemon;
import io.jvs.api.TableCommand;
import io.jvs.api.TableException;
import io.jvs.api.Timeouts;
import io.jvs.api.VirtualServerTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A table double: shows exactly the services, daemons and connections a test puts in (with chosen counters),
 * and records the commands applied to it, refusing them with {@link #refusal} when set.
 */
final class StubTable implements VirtualServerTable {
    final List<ServiceInfo> services = new ArrayList<>();
    final List<SyncDaemon> daemons = new ArrayList<>();
    final List<ConnectionEntry> connections = new ArrayList<>();
    final List<TableCommand> applied = new ArrayList<>();
    Timeouts timeouts = Timeouts.DEFAULTS;
    TableException refusal;

    @Override
    public long apply(final List<TableCommand> commands) throws TableException {
        if (refusal != null) {
            throw refusal;
        }
        applied.addAll(commands);
        return applied.size();
    }

    /** The one command the last invocation applied. */
    TableCommand last() {
        return applied.get(applied.size() - 1);
    }

    @Override
    public List<ServiceInfo> services() {
        return List.copyOf(services);
    }

    @Override
    public Optional<ServiceInfo> service(final ServiceKey key) {
        return services.stream().filter(s -> s.config().key().equals(key)).findFirst();
    }

    @Override
    public Stats totals() {
        return Stats.ZERO;
    }

    @Override
    public Timeouts timeouts() {
        return timeouts;
    }

    @Override
    public List<SyncDaemon> daemons() {
        return List.copyOf(daemons);
    }

    @Override
    public List<ConnectionEntry> connections() {
        return List.copyOf(connections);
    }

    @Override
    public int connectionTableSize() {
        return 4096;
    }

    @Override
    public Set<String> schedulers() {
        return Set.of("rr", "wlc", "sh", "mh");
    }

    @Override
    public long generation() {
        return applied.size();
    }
}
