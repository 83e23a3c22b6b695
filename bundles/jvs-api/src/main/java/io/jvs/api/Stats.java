package io.jvs.api;

/**
 * Counters and rates of a service, a destination or the whole table, as IPVS reports them.
 * Rates are the 2 s EWMA estimator's: connections, packets per second; bytes per second.
 */
public record Stats(long conns, long inPkts, long outPkts, long inBytes, long outBytes,
                    long cps, long inPps, long outPps, long inBps, long outBps) {
    public static final Stats ZERO = new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
