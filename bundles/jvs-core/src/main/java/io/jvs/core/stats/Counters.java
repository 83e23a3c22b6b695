package io.jvs.core.stats;

import io.jvs.api.Stats;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one service, one realserver or the whole director: connections, packets and bytes in
 * each direction, plus the rates the estimator last computed. Writers (packet workers) add; readers take
 * a snapshot; {@code ipvsadm -Z} zeroes.
 */
public final class Counters {
    private final LongAdder conns = new LongAdder();
    private final LongAdder inPkts = new LongAdder();
    private final LongAdder outPkts = new LongAdder();
    private final LongAdder inBytes = new LongAdder();
    private final LongAdder outBytes = new LongAdder();
    private volatile Rates rates = Rates.ZERO;
    /** Also the lock that keeps an estimator step and {@link #zero()} apart, as the kernel's stats lock does. */
    private final EstimatorState estimator = new EstimatorState();

    public void addConnection() {
        conns.increment();
    }

    public void addIn(final int bytes) {
        inPkts.increment();
        inBytes.add(bytes);
    }

    public void addOut(final int bytes) {
        outPkts.increment();
        outBytes.add(bytes);
    }

    public long conns() {
        return conns.sum();
    }

    public long inPkts() {
        return inPkts.sum();
    }

    public long outPkts() {
        return outPkts.sum();
    }

    public long inBytes() {
        return inBytes.sum();
    }

    public long outBytes() {
        return outBytes.sum();
    }

    /** Called by the estimator every 2 s. */
    public void rates(final Rates newRates) {
        rates = newRates;
    }

    public Rates rates() {
        return rates;
    }

    /** One step of the 2 s rate estimator: the change since the last step feeds the averages. */
    void estimate() {
        synchronized (estimator) {
            rates(estimator.step(conns(), inPkts(), outPkts(), inBytes(), outBytes()));
        }
    }

    /**
     * Zeroes counters and rates ({@code ipvsadm -Z}). The estimator restarts from the zeroed values too;
     * otherwise its next step would see the counters fall and report a negative rate.
     */
    public void zero() {
        synchronized (estimator) {
            conns.reset();
            inPkts.reset();
            outPkts.reset();
            inBytes.reset();
            outBytes.reset();
            estimator.zero();
            rates = Rates.ZERO;
        }
    }

    public Stats snapshot() {
        final Rates r = rates;
        return new Stats(conns(), inPkts(), outPkts(), inBytes(), outBytes(), r.cps(), r.inPps(), r.outPps(),
                r.inBps(), r.outBps());
    }

    /** Per-second rates as {@code ipvsadm --rate} shows them. */
    public record Rates(long cps, long inPps, long outPps, long inBps, long outBps) {
        public static final Rates ZERO = new Rates(0, 0, 0, 0, 0);
    }
}
