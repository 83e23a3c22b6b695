package io.jvs.api.sched;

import org.osgi.annotation.versioning.ProviderType;

/** What a virtual service gives its scheduler: its flags, a clock and a random source. Implemented by the core. */
@ProviderType
public interface SchedulerContext {
    /** {@code IP_VS_SVC_F_SCHED1}: sh-fallback, mh-fallback ({@code ipvsadm -b flag-1}). */
    int SCHED1 = 0x0008;
    /** {@code IP_VS_SVC_F_SCHED2}: sh-port, mh-port ({@code ipvsadm -b flag-2}). */
    int SCHED2 = 0x0010;
    /** {@code IP_VS_SVC_F_SCHED3} ({@code ipvsadm -b flag-3}). */
    int SCHED3 = 0x0020;

    /** The service's scheduler flags, any of {@link #SCHED1}, {@link #SCHED2}, {@link #SCHED3}; read per decision. */
    int schedFlags();

    /** Milliseconds of a monotonic clock (IPVS jiffies); cheap, called on the hot path by lblc and lblcr. */
    long nowMillis();

    /** A uniformly distributed 32-bit random number (twos); thread safe, allocation free. */
    int nextRandom();
}
