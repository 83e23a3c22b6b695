package io.jvs.api.sched;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/** A scheduler's state for one virtual service ({@code svc->sched_data}). */
@ConsumerType
public interface ServiceScheduler {
    /**
     * Destinations changed: one was added, removed, or had its weight or thresholds edited. The list is in the
     * kernel's order, newest first (a new destination goes to the head). Control plane; may allocate.
     *
     * @throws IllegalArgumentException when the algorithm cannot hold that many destinations (mh: more than 4093)
     */
    void update(List<? extends RealServer> destinations);

    /**
     * Chooses the realserver for a new connection, or {@code null} when none is available. Called from any worker
     * thread, concurrently and while {@link #update} runs: no allocation, no logging, no blocking beyond a short lock
     * where the kernel holds a spinlock.
     */
    RealServer schedule(Flow flow);

    /** Periodic housekeeping (lblc and lblcr cache expiry); may be called as often as wanted. */
    default void expire(long nowMillis) {
    }
}
