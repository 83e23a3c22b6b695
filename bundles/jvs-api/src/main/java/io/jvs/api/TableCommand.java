package io.jvs.api;

import java.util.Objects;

/**
 * One change to the virtual server table: the commands of ipvsadm as data. A list of them is applied
 * atomically by {@link VirtualServerTable#apply(java.util.List)}.
 */
public sealed interface TableCommand {

    /** {@code -A}: add a virtual service. */
    record AddService(ServiceConfig config) implements TableCommand {
        public AddService {
            Objects.requireNonNull(config, "config");
        }
    }

    /** {@code -E}: replace the settings of a virtual service. */
    record EditService(ServiceConfig config) implements TableCommand {
        public EditService {
            Objects.requireNonNull(config, "config");
        }
    }

    /** {@code -D}: delete a virtual service with its realservers. */
    record DeleteService(ServiceKey key) implements TableCommand {
        public DeleteService {
            Objects.requireNonNull(key, "key");
        }
    }

    /** {@code -C}: clear the table. */
    record Clear() implements TableCommand {
    }

    /** {@code -a}: add a realserver to a service. */
    record AddDestination(ServiceKey service, DestinationConfig config) implements TableCommand {
        public AddDestination {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(config, "config");
        }
    }

    /** {@code -e}: replace the settings of a realserver. */
    record EditDestination(ServiceKey service, DestinationConfig config) implements TableCommand {
        public EditDestination {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(config, "config");
        }
    }

    /** {@code -d}: remove a realserver from a service. */
    record DeleteDestination(ServiceKey service, Endpoint endpoint) implements TableCommand {
        public DeleteDestination {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(endpoint, "endpoint");
        }
    }

    /** {@code -Z}: zero the counters of one service, or of all when {@code service} is null. */
    record Zero(ServiceKey service) implements TableCommand {
    }

    /** {@code --set tcp tcpfin udp}: a zero keeps the current value. */
    record SetTimeouts(Timeouts timeouts) implements TableCommand {
        public SetTimeouts {
            Objects.requireNonNull(timeouts, "timeouts");
        }
    }

    /** {@code --start-daemon}. */
    record StartDaemon(SyncDaemon daemon) implements TableCommand {
        public StartDaemon {
            Objects.requireNonNull(daemon, "daemon");
        }
    }

    /** {@code --stop-daemon}. */
    record StopDaemon(SyncDaemon.State state) implements TableCommand {
        public StopDaemon {
            Objects.requireNonNull(state, "state");
        }
    }

    /** Whether applying this command changes what the table must persist (counters are not persisted). */
    default boolean changesConfiguration() {
        return !(this instanceof Zero);
    }
}
