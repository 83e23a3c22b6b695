package io.jvs.admin.state;

import io.jvs.api.ConnectionEntry;
import io.jvs.api.ServiceInfo;
import io.jvs.api.ServiceKey;
import io.jvs.api.Stats;
import io.jvs.api.SyncDaemon;
import io.jvs.api.TableCommand;
import io.jvs.api.TableException;
import io.jvs.api.Timeouts;
import io.jvs.api.VirtualServerTable;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The table as every transport sees it: each accepted change of configuration is saved before the caller
 * hears back. Reads go straight to the core's table.
 */
public final class PersistentTable implements VirtualServerTable {
    private static final Logger LOG = LoggerFactory.getLogger(PersistentTable.class);

    private final VirtualServerTable table;
    private final TableStore store;
    private final Function<VirtualServerTable, String> render;
    private final AtomicLong saveFailures = new AtomicLong();

    /**
     * @param render turns the table into the body of a state file (the restore language)
     */
    public PersistentTable(final VirtualServerTable table, final TableStore store,
                           final Function<VirtualServerTable, String> render) {
        this.table = table;
        this.store = store;
        this.render = render;
    }

    @Override
    public synchronized long apply(final List<TableCommand> commands) throws TableException {
        return saving(table.generation(), table.apply(commands));
    }

    @Override
    public synchronized long restore(final List<TableCommand> commands) throws TableException {
        return saving(table.generation(), table.restore(commands));
    }

    /** Saves when a change moved the generation on. */
    private long saving(final long before, final long after) {
        if (after != before) {
            save();
        }
        return after;
    }

    /** Writes the current table; a failure is logged and counted, and the next change retries. */
    public synchronized void save() {
        try {
            store.save(render.apply(table));
        } catch (final IOException | RuntimeException e) {
            saveFailures.incrementAndGet();
            LOG.error("Could not save the table to {}: {}", store.current(), e.toString());
        }
    }

    /** How many saves have failed since start. */
    public long saveFailures() {
        return saveFailures.get();
    }

    @Override
    public List<ServiceInfo> services() {
        return table.services();
    }

    @Override
    public Optional<ServiceInfo> service(final ServiceKey key) {
        return table.service(key);
    }

    @Override
    public Stats totals() {
        return table.totals();
    }

    @Override
    public Timeouts timeouts() {
        return table.timeouts();
    }

    @Override
    public List<SyncDaemon> daemons() {
        return table.daemons();
    }

    @Override
    public List<ConnectionEntry> connections() {
        return table.connections();
    }

    @Override
    public int connectionTableSize() {
        return table.connectionTableSize();
    }

    @Override
    public Set<String> schedulers() {
        return table.schedulers();
    }

    @Override
    public long generation() {
        return table.generation();
    }
}
