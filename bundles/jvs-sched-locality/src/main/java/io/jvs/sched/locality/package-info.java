/** The locality-based IPVS schedulers with a per-service cache: lblc and lblcr. Private to this bundle. */
package io.jvs.sched.locality;
