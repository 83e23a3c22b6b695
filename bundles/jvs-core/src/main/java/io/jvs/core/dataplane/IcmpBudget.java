package io.jvs.core.dataplane;

/**
 * How many ICMP errors a worker may send, as the kernel's {@code icmp_global_allow}: a credit of at most
 * {@link #BURST} ({@code icmp_msgs_burst}) that refills at {@link #PER_SECOND} ({@code icmp_msgs_per_sec}), so a
 * flood of packets that each earn an error (to a service without realservers, with an expiring TTL) cannot turn
 * the director into a flood of ICMP. Fragmentation needed is never limited (the kernel's {@code
 * icmpv4_mask_allow}: path MTU discovery must work); neither are echo replies. The kernel's further limit per
 * destination host ({@code icmp_ratelimit}) is not kept: it needs a table of peers. Single-threaded; the clock is
 * the worker's, in milliseconds.
 */
final class IcmpBudget {
    static final int PER_SECOND = 1000;
    static final int BURST = 50;

    private int credit = BURST;
    private long stamp;
    private boolean started;

    /** Whether one more error may be sent at {@code now}; takes it from the credit if so. */
    boolean take(final long now) {
        if (!started) {
            started = true;
            stamp = now;
        }
        final long elapsed = now - stamp;
        if (elapsed > 0) {
            credit = (int) Math.min(BURST, credit + elapsed * PER_SECOND / 1000);
            stamp = now;
        }
        if (credit <= 0) {
            return false;
        }
        credit--;
        return true;
    }
}
