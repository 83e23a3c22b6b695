package io.jvs.api;

import java.util.List;
import java.util.Map;

/**
 * The packet core's own view, registered while a data plane runs: the interfaces it owns and what happened to
 * every frame they received, by outcome. For operators ({@code bin/jvs dataplane}) and telemetry, as the kernel's
 * {@code /proc/net/ip_vs_stats} and {@code nstat} are for IPVS.
 */
public interface DataplaneStatus {
    /** The data-plane interfaces, in the order they were given. */
    List<String> interfaces();

    /** Packet workers (each serves one queue of every interface). */
    int workers();

    /**
     * Counters since start, summed over workers, in a fixed order: {@code rx} (frames received), the validator's
     * drops of malformed frames ({@code truncated_l2} ... {@code bad_l4_checksum}), then the packet path's outcomes
     * ({@code forwarded}, {@code passed} to the kernel, replies sent, and {@code drop_*} by reason), and
     * {@code ring_drops}: frames the kernel dropped because a receive ring was full. A snapshot; never null.
     */
    Map<String, Long> counters();
}
