package io.jvs.core.neigh;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;

/**
 * IPv4 address to MAC, learnt from ARP, for the realservers, gateways and clients the core sends to.
 * Lookups are lock-free (open addressing, linear probing, entries never move); learning takes a lock.
 *
 * <p>Ageing follows the kernel's neighbour states in spirit: an entry confirmed within {@link #REACHABLE_MILLIS}
 * is used as is; an older one is still used but probed; one unconfirmed for {@link #FAILED_MILLIS} is
 * invalidated, and the next packet to it asks again. A full table stops learning and counts it.
 */
public final class NeighbourTable {
    public static final long REACHABLE_MILLIS = 30_000;
    public static final long FAILED_MILLIS = 90_000;
    /** Least time between two ARP requests for one address. */
    public static final long REQUEST_INTERVAL_MILLIS = 1_000;
    private static final long VALID = 1L << 63;
    private static final long MAC_MASK = 0xFFFF_FFFF_FFFFL;

    private final AtomicIntegerArray keys;
    private final AtomicLongArray macs;
    private final long[] confirmed;
    private final long[] requested;
    private final int mask;
    private int used;
    private long full;

    public NeighbourTable(final int capacity) {
        final int size = Integer.highestOneBit(Math.max(16, capacity) * 2 - 1);
        this.keys = new AtomicIntegerArray(size);
        this.macs = new AtomicLongArray(size);
        this.confirmed = new long[size];
        this.requested = new long[size];
        this.mask = size - 1;
    }

    private int home(final int ip) {
        final int h = ip * 0x9E3779B1;
        return (h ^ h >>> 16) & mask;
    }

    /** The MAC of {@code ip}, or -1 when it is not known (yet). Lock-free, allocation-free. */
    public long lookup(final int ip) {
        for (int i = home(ip), n = 0; n <= mask; i = (i + 1) & mask, n++) {
            final int k = keys.get(i);
            if (k == ip) {
                final long m = macs.get(i);
                return (m & VALID) != 0 ? m & MAC_MASK : -1;
            }
            if (k == 0) {
                return -1;
            }
        }
        return -1;
    }

    /** Records what an ARP packet said: {@code ip} is at {@code mac}. */
    public synchronized void learn(final int ip, final long mac, final long now) {
        final int i = slot(ip);
        if (i >= 0) {
            macs.set(i, VALID | (mac & MAC_MASK));
            confirmed[i] = now;
        }
    }

    /**
     * Whether to send an ARP request for {@code ip} now: true at most once per {@link #REQUEST_INTERVAL_MILLIS}
     * for an address whose MAC is unknown.
     */
    public synchronized boolean shouldRequest(final int ip, final long now) {
        final int i = slot(ip);
        if (i < 0 || now - requested[i] < REQUEST_INTERVAL_MILLIS && requested[i] != 0) {
            return false;
        }
        requested[i] = now;
        return true;
    }

    /**
     * Ages the table: calls {@code probe} for each known entry past its reachable time (at most once per
     * request interval), and invalidates those unconfirmed for too long.
     */
    public synchronized void age(final long now, final IntConsumer probe) {
        for (int i = 0; i <= mask; i++) {
            final int ip = keys.get(i);
            final long m = macs.get(i);
            if (ip == 0 || (m & VALID) == 0) {
                continue;
            }
            if (now - confirmed[i] >= FAILED_MILLIS) {
                macs.set(i, m & MAC_MASK);
            } else if (now - confirmed[i] >= REACHABLE_MILLIS && now - requested[i] >= REQUEST_INTERVAL_MILLIS) {
                requested[i] = now;
                probe.accept(ip);
            }
        }
    }

    /** Calls {@code visitor} with each valid entry's address and MAC. */
    public void forEach(final Visitor visitor) {
        for (int i = 0; i <= mask; i++) {
            final int ip = keys.get(i);
            final long m = macs.get(i);
            if (ip != 0 && (m & VALID) != 0) {
                visitor.entry(ip, m & MAC_MASK);
            }
        }
    }

    /** Times learning failed because the table was full. */
    public synchronized long fullDrops() {
        return full;
    }

    /** The slot of {@code ip}, claimed if new; -1 when the table is full. Under the lock. */
    private int slot(final int ip) {
        for (int i = home(ip), n = 0; n <= mask; i = (i + 1) & mask, n++) {
            final int k = keys.get(i);
            if (k == ip) {
                return i;
            }
            if (k == 0) {
                if (used * 4 >= (mask + 1) * 3) {
                    full++;
                    return -1;
                }
                used++;
                keys.set(i, ip);
                return i;
            }
        }
        full++;
        return -1;
    }

    /** Receives entries of {@link #forEach}. */
    @FunctionalInterface
    public interface Visitor {
        void entry(int ip, long mac);
    }
}
