/** The table-lookup IPVS schedulers: sh, dh and mh (Maglev). Private to this bundle. */
package io.jvs.sched.hashing;
