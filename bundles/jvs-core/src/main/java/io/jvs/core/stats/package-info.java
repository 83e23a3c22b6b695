/** Counters of services, realservers and the director, and the IPVS rate estimator. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.jvs.core.stats;
