package io.jvs.core.svc;

import io.jvs.api.ServiceKey;
import io.jvs.api.SyncDaemon;
import io.jvs.api.Timeouts;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One immutable version of the whole table. The control plane builds a new one per change and publishes
 * it with a single volatile write; readers (listings, packet workers) take the current one and never lock.
 *
 * @param services   by key, in the order they were added
 * @param timeouts   connection timeouts
 * @param daemons    running sync daemons, master before backup
 * @param generation increases with every change
 */
public record TableSnapshot(Map<ServiceKey, Service> services, Timeouts timeouts, List<SyncDaemon> daemons,
                            long generation) {
    public static final TableSnapshot EMPTY =
            new TableSnapshot(new LinkedHashMap<>(), Timeouts.DEFAULTS, List.of(), 0);

    public TableSnapshot {
        services = Collections.unmodifiableMap(services);
        daemons = List.copyOf(daemons);
    }
}
