/**
 * The scheduler SPI: how a new connection picks its realserver, as IPVS's {@code ip_vs_scheduler} does.
 * Scheduler bundles implement {@link io.jvs.api.sched.Scheduler} and {@link io.jvs.api.sched.ServiceScheduler};
 * the packet core implements {@link io.jvs.api.sched.SchedulerContext}, {@link io.jvs.api.sched.RealServer} and
 * {@link io.jvs.api.sched.Flow}, and keeps a {@link io.jvs.api.sched.LoadBoard} of each service's destinations
 * current for the schedulers that scan them all.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.jvs.api.sched;
