package io.jvs.api;

import java.util.List;

/**
 * A virtual service as a listing shows it. {@code destinations} are in the kernel's list order: the most
 * recently added first (the order schedulers walk).
 */
public record ServiceInfo(ServiceConfig config, Stats stats, List<DestinationInfo> destinations) {
    public ServiceInfo {
        destinations = List.copyOf(destinations);
    }
}
