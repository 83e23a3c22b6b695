package io.jvs.core.dataplane;

/**
 * How many ICMP errors a worker may send, as the kernel's {@code icmp_global_allow}: a credit of at most
 * {@link #BURST} ({@code icmp_msgs_burst}) that refills at {@link #PER_SECOND} ({@code icmp_msgs_per_sec}), so a
 * flood of packets that each earn an error (to a service without realservers, with an expiring TTL) cannot turn
 * the director into a flood of ICMP. Fragmentation needed is never limited (the kernel's {@code
 * icmpv4_mask_allow}: path MTU discovery must work); neither are echo replies. The further limit per destination
 * host ({@code icmp_ratelimit}) is {@link IcmpPeerLimit}; as Linux since "icmp: change the order of rate limits",
 * the credit is first only looked at ({@link #allows}), the host's limit decides, and the credit is spent
 * ({@link #spend}) for an error that is sent: one refused for its host costs nothing here. The kernel spends 0 to
 * 2 at random (1 on average, against side channels); this spends 1. Single-threaded; the clock is the worker's, in
 * milliseconds.
 */
final class IcmpBudget {
    static final int PER_SECOND = 1000;
    static final int BURST = 50;

    private int credit = BURST;
    private long stamp;
    private boolean started;

    /** Whether there is credit for one more error at {@code now}; refills, but takes nothing. */
    boolean allows(final long now) {
        if (!started) {
            started = true;
            stamp = now;
        }
        final long elapsed = now - stamp;
        if (elapsed > 0) {
            credit = (int) Math.min(BURST, credit + elapsed * PER_SECOND / 1000);
            stamp = now;
        }
        return credit > 0;
    }

    /** Takes one error's credit, after {@link #allows} said yes and the error is to be sent. */
    void spend() {
        credit--;
    }
}
