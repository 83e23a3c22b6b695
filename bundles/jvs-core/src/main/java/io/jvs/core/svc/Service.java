package io.jvs.core.svc;

import io.jvs.api.DestinationInfo;
import io.jvs.api.Endpoint;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceInfo;
import io.jvs.core.stats.Counters;
import java.util.ArrayList;
import java.util.List;

/**
 * A virtual service in a table snapshot: its settings, its realservers in the kernel's list order (the
 * most recently added first, the order schedulers walk) and its live state (counters, scheduler).
 * Immutable; an edit makes a new one that shares the live state and the realservers' live state.
 */
public record Service(ServiceConfig config, List<Destination> destinations, ServiceState state) {
    public Service {
        destinations = List.copyOf(destinations);
    }

    public Counters counters() {
        return state.counters();
    }

    /** Index of the realserver with this endpoint, or -1. */
    public int indexOf(final Endpoint endpoint) {
        for (int i = 0; i < destinations.size(); i++) {
            if (destinations.get(i).config().endpoint().equals(endpoint)) {
                return i;
            }
        }
        return -1;
    }

    ServiceInfo info() {
        final List<DestinationInfo> dests = new ArrayList<>(destinations.size());
        for (final Destination d : destinations) {
            dests.add(d.info());
        }
        return new ServiceInfo(config, counters().snapshot(), dests);
    }
}
