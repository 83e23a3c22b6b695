package io.jvs.core.dataplane;

import java.util.Arrays;

/**
 * How many ICMP errors a worker may send to one host, as the kernel's {@code icmp_ratelimit} (the inet_peer token
 * bucket of {@code inet_peer_xrlim_allow}): each destination address of an error (the source of the offending
 * packet) earns {@link #COST} tokens a second of the worker's clock, up to {@link #BURST_FACTOR} times that, and
 * an error costs {@link #COST}; a host not seen before starts full. So a host gets a burst of 6 errors, then one a
 * second. It applies to the types in the kernel's default {@code icmp_ratemask} (0x1818: destination
 * unreachable except fragmentation needed, source quench, time exceeded, parameter problem): here port
 * unreachable and time exceeded.
 *
 * <p>The kernel keeps a tree of peers of unbounded size, trimmed by age; this is a fixed table of {@link
 * #CAPACITY} hosts in sets of {@link #WAYS}, so memory is bounded and a lookup touches one set. A host missing from
 * its full set takes the place of the one seen longest ago, which is forgotten: should it come back, it starts
 * full again, as a peer the kernel has collected. A host idle for 6 s has refilled anyway, so forgetting it changes
 * nothing; only more than {@link #WAYS} hosts of one set within 6 s can win an evicted host a fresh burst, and the
 * global budget ({@link IcmpBudget}) still bounds the sum. The set is chosen by a hash salted per worker, so that
 * a sender cannot easily pick colliding addresses. Single-threaded; the clock is the worker's, in milliseconds.
 */
final class IcmpPeerLimit {
    /** Tokens an error costs, and earned per second: {@code icmp_ratelimit}, 1000 ms. */
    static final int COST = 1000;
    /** The most a host can save: {@code XRLIM_BURST_FACTOR} errors' worth. */
    static final int BURST_FACTOR = 6;
    static final int CAPACITY = 4096;
    static final int WAYS = 4;
    private static final int FULL = BURST_FACTOR * COST;
    private static final int SET_BITS = Integer.numberOfTrailingZeros(CAPACITY / WAYS);
    /** The stamp of an empty slot: older than any, so a full set's victim search picks empty slots first. */
    private static final long EMPTY = Long.MIN_VALUE;

    private final int salt;
    private final int[] host = new int[CAPACITY];
    private final int[] tokens = new int[CAPACITY];
    /** When each slot's tokens were last brought up to date; {@link #EMPTY} if the slot is free. */
    private final long[] stamp = new long[CAPACITY];

    IcmpPeerLimit(final int salt) {
        this.salt = salt;
        Arrays.fill(stamp, EMPTY);
    }

    /** Whether one more error may be sent to {@code address} at {@code now}; takes its cost if so. */
    boolean take(final int address, final long now) {
        final int first = set(address) * WAYS;
        int slot = -1;
        int oldest = first;
        for (int i = first; i < first + WAYS; i++) {
            if (host[i] == address && stamp[i] != EMPTY) {
                slot = i;
                break;
            }
            if (stamp[i] < stamp[oldest]) {
                oldest = i;
            }
        }
        if (slot < 0) {
            slot = oldest;
            host[slot] = address;
            tokens[slot] = FULL;
            stamp[slot] = now;
        } else {
            final long elapsed = now - stamp[slot];
            if (elapsed > 0) {
                tokens[slot] = (int) Math.min(FULL, tokens[slot] + elapsed);
                stamp[slot] = now;
            }
        }
        if (tokens[slot] < COST) {
            return false;
        }
        tokens[slot] -= COST;
        return true;
    }

    /** Fibonacci hashing of the salted address: the top bits of the product are the best mixed. */
    private int set(final int address) {
        return ((address ^ salt) * 0x9E3779B9) >>> (Integer.SIZE - SET_BITS);
    }
}
