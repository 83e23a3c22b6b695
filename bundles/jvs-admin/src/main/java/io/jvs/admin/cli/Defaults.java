package io.jvs.admin.cli;

/** ipvsadm's defaults and limits, in one place. */
final class Defaults {
    /**
     * Persistence timeout of a bare {@code -p}. ipvsadm 1.31's code uses {@code IPVS_SVC_PERSISTENT_TIMEOUT}
     * (6*60 = 360 s), but its manual, our behavioural spec, says 300 s; we follow the manual.
     */
    static final int PERSISTENT_TIMEOUT = 300;
    /** Largest timeout ipvsadm accepts: 31 days. */
    static final int MAX_TIMEOUT = 86_400 * 31;
    static final String SCHEDULER = "wlc";
    static final String MCAST_INTERFACE = "eth0";
    /** Kernel name buffers are 16 bytes; ipvsadm copies at most 15 characters. */
    static final int NAME_MAX = 15;
    static final String VERSION = "ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)";
    static final String IPVS_VERSION = "1.2.1";

    private Defaults() {
    }
}
