package io.jvs.core.stats;

import io.jvs.core.stats.Counters.Rates;
import java.util.Arrays;

/**
 * What the rate estimator remembers of one {@link Counters} between ticks, as the kernel's
 * {@code struct ip_vs_estimator}: the raw values seen at the last tick and the scaled averages. Averages of
 * connections and packets are scaled by 2^10, of bytes by 2^5, so that the integer EWMA keeps fractions.
 * The owning {@link Counters} serialises access.
 */
final class EstimatorState {
    private static final int CONNS = 0;
    private static final int IN_PKTS = 1;
    private static final int OUT_PKTS = 2;
    private static final int IN_BYTES = 3;
    private static final int OUT_BYTES = 4;
    /** Per value: the change over 2 s shifted by this is the per-second rate scaled as above. */
    private static final int[] SCALE_SHIFT = {9, 9, 9, 4, 4};

    private final long[] last = new long[SCALE_SHIFT.length];
    private final long[] avg = new long[SCALE_SHIFT.length];

    /** One 2 s step over the current raw values; returns the rates as ipvsadm reports them. */
    Rates step(final long conns, final long inPkts, final long outPkts, final long inBytes, final long outBytes) {
        update(CONNS, conns);
        update(IN_PKTS, inPkts);
        update(OUT_PKTS, outPkts);
        update(IN_BYTES, inBytes);
        update(OUT_BYTES, outBytes);
        return new Rates(perSecond(avg[CONNS]), perSecond(avg[IN_PKTS]), perSecond(avg[OUT_PKTS]),
                bytesPerSecond(avg[IN_BYTES]), bytesPerSecond(avg[OUT_BYTES]));
    }

    /** Follows the owner's counters back to zero and forgets the history ({@code ip_vs_zero_estimator}). */
    void zero() {
        Arrays.fill(last, 0);
        Arrays.fill(avg, 0);
    }

    private void update(final int i, final long value) {
        final long rate = (value - last[i]) << SCALE_SHIFT[i];
        last[i] = value;
        // W = 1/4, an average over about the last 8 s; the arithmetic shift floors as the kernel's does.
        avg[i] += (rate - avg[i]) >> 2;
    }

    /** Scaled-by-2^10 average to a whole rate, rounded to nearest as ip_vs_read_estimator does. */
    static long perSecond(final long scaled) {
        return (scaled + 0x1FF) >> 10;
    }

    /** Scaled-by-2^5 average to whole bytes per second, rounded to nearest. */
    static long bytesPerSecond(final long scaled) {
        return (scaled + 0xF) >> 5;
    }
}
