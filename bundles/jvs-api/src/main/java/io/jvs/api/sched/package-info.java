/**
 * The scheduler SPI: how a new connection picks its realserver, as IPVS's {@code ip_vs_scheduler} does.
 * Scheduler bundles implement {@link io.jvs.api.sched.Scheduler} and {@link io.jvs.api.sched.ServiceScheduler};
 * the packet core implements {@link io.jvs.api.sched.SchedulerContext}, {@link io.jvs.api.sched.RealServer} and
 * {@link io.jvs.api.sched.Flow}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.jvs.api.sched;
