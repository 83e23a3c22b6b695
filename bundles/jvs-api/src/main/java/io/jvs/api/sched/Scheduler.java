package io.jvs.api.sched;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A scheduling algorithm (IPVS {@code struct ip_vs_scheduler}), registered as an OSGi service with the property
 * {@value #PROPERTY}{@code =<ipvsadm name>}, for example {@code jvs.scheduler=wlc}.
 */
@ConsumerType
public interface Scheduler {
    /** Service property carrying the ipvsadm name of the algorithm. */
    String PROPERTY = "jvs.scheduler";

    /** The ipvsadm name: {@code "rr"}, {@code "wlc"}, {@code "mh"}, ... */
    String name();

    /** State for one virtual service. Control plane; may allocate. */
    ServiceScheduler create(SchedulerContext context);
}
