package io.jvs.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The virtual server table of a director: the service the core provides and every control transport
 * (control socket, shell, fleet) drives, directly or through the administration bundle.
 *
 * <p>Changes are applied as lists of commands, all or none. Readers see consistent snapshots.
 */
@org.osgi.annotation.versioning.ProviderType
public interface VirtualServerTable {

    /**
     * Applies every command in order, or none: on the first refused command nothing has changed and the
     * exception names the command's index.
     *
     * @return the table's generation after the change
     */
    long apply(List<TableCommand> commands) throws TableException;

    /**
     * As {@link #apply(List)}, for a table saved earlier and now restored (the appliance's boot): a scheduler name
     * no bundle has registered yet is accepted, because its bundle may start later. Until it registers, its
     * services schedule round robin, logged once and counted; then it takes over. Other checks stay.
     */
    default long restore(final List<TableCommand> commands) throws TableException {
        return apply(commands);
    }

    /** Applies one command. */
    default long apply(final TableCommand command) throws TableException {
        return apply(List.of(command));
    }

    /** Services in the order they were added, each with its realservers in the kernel's list order. */
    List<ServiceInfo> services();

    /** One service, if it exists. */
    Optional<ServiceInfo> service(ServiceKey key);

    /** Counters and rates summed over the whole director. */
    Stats totals();

    /** Current connection timeouts. */
    Timeouts timeouts();

    /** Running sync daemons (at most one master and one backup). */
    List<SyncDaemon> daemons();

    /** The connection table, persistence templates included. */
    List<ConnectionEntry> connections();

    /** Number of buckets of the connection table, as {@code ipvsadm -L} prints it in its header. */
    int connectionTableSize();

    /** Scheduler names a service may use. */
    Set<String> schedulers();

    /** Increases with every applied change of configuration. */
    long generation();
}
