/** The list-walking IPVS schedulers: rr, wrr, lc, wlc, sed, nq, fo, ovf, twos. Private to this bundle. */
package io.jvs.sched.classic;
