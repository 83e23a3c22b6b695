package io.jvs.core.neigh;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;

/**
 * IPv4 address to MAC, learnt from ARP, for the realservers, gateways and clients the core sends to.
 * Lookups are lock-free (open addressing, linear probing, entries never move within one set of slots);
 * learning takes a lock.
 *
 * <p>Ageing follows the kernel's neighbour states with its ARP defaults. An entry confirmed within
 * {@link #REACHABLE_MILLIS} is used as is (REACHABLE); an older one is still used (STALE) and probed
 * {@link #UCAST_PROBES} times, {@link #REQUEST_INTERVAL_MILLIS} apart (PROBE); unconfirmed one interval after the
 * last probe it is invalidated (FAILED), and the next packet to it asks again with {@link #shouldRequest}. Any
 * confirmation, at any point, makes it reachable again and restarts the count. There is no DELAY: the kernel waits
 * delay_first_probe_time (5 s) after a stale entry is next used, for an upper layer (TCP making progress) to
 * confirm it without ARP; this table neither tracks use nor gets such confirmations, so waiting would only put
 * off the probes. Every stale entry is probed, used or not. Probes are counted, not timed from the
 * confirmation: a neighbour is failed only after its probes went out, even when ageing runs late.
 *
 * <p>When the table fills, the slots of invalidated entries and of addresses asked for more than a request
 * interval ago and never answered are reclaimed: the live entries are copied into fresh slots, published with one
 * volatile write (lookups in flight finish on the old ones). Only a table full of live neighbours stops learning,
 * and counts it.
 */
public final class NeighbourTable {
    /** How long a confirmation holds (the kernel's base_reachable_time, not randomised here). */
    public static final long REACHABLE_MILLIS = 30_000;
    /** Probes of a stale entry before it fails (ucast_probes; app_probes and mcast_reprobes are 0). */
    public static final int UCAST_PROBES = 3;
    /** Least time between two ARP requests or probes for one address (retrans_time). */
    public static final long REQUEST_INTERVAL_MILLIS = 1_000;
    private static final long VALID = 1L << 63;
    private static final long MAC_MASK = 0xFFFF_FFFF_FFFFL;
    /** {@code requested} of an address never asked for. */
    private static final long NEVER = Long.MIN_VALUE;

    /** One generation of slots; replaced whole when reclaimed. */
    private static final class Slots {
        final AtomicIntegerArray keys;
        final AtomicLongArray macs;
        final long[] confirmed;
        /** When the address was last asked for or probed. */
        final long[] requested;
        /** Probes sent since the last confirmation. */
        final byte[] probes;
        final int mask;
        int used;

        Slots(final int size) {
            keys = new AtomicIntegerArray(size);
            macs = new AtomicLongArray(size);
            confirmed = new long[size];
            requested = new long[size];
            java.util.Arrays.fill(requested, NEVER);
            probes = new byte[size];
            mask = size - 1;
        }

        int home(final int ip) {
            final int h = ip * 0x9E3779B1;
            return (h ^ h >>> 16) & mask;
        }

        /** Claims the first free slot on {@code ip}'s probe path (there is one: the load stays below 3/4). */
        int claim(final int ip) {
            int i = home(ip);
            while (keys.get(i) != 0) {
                i = (i + 1) & mask;
            }
            used++;
            keys.set(i, ip);
            return i;
        }
    }

    private volatile Slots slots;
    private long full;
    private long reclaimed;
    private long lastReclaim = NEVER;

    public NeighbourTable(final int capacity) {
        // Room for capacity entries below the 3/4 load at which learning stops.
        slots = new Slots(Integer.highestOneBit((Math.max(16, capacity) * 4 + 2) / 3 * 2 - 1));
    }

    /** The MAC of {@code ip}, or -1 when it is not known (yet). Lock-free, allocation-free. */
    public long lookup(final int ip) {
        final Slots t = slots;
        for (int i = t.home(ip), n = 0; n <= t.mask; i = (i + 1) & t.mask, n++) {
            final int k = t.keys.get(i);
            if (k == ip) {
                final long m = t.macs.get(i);
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
        final int i = slot(ip, now);
        if (i >= 0) {
            confirm(slots, i, mac, now);
        }
    }

    /**
     * Records what an ARP packet said only if {@code ip} already has an entry (a neighbour we send to, or asked
     * for): as the kernel does with ARP it overhears, so that the broadcasts of every host on a segment do not
     * fill the table.
     *
     * @return whether there was an entry to update
     */
    public synchronized boolean update(final int ip, final long mac, final long now) {
        final Slots t = slots;
        final int i = find(t, ip);
        if (i < 0) {
            return false;
        }
        confirm(t, i, mac, now);
        return true;
    }

    /** Entry {@code i} is at {@code mac} as of {@code now}: reachable, its probes start over. Under the lock. */
    private static void confirm(final Slots t, final int i, final long mac, final long now) {
        t.macs.set(i, VALID | (mac & MAC_MASK));
        t.confirmed[i] = now;
        t.probes[i] = 0;
    }

    /**
     * Whether to send an ARP request for {@code ip} now: true at most once per {@link #REQUEST_INTERVAL_MILLIS}
     * for an address whose MAC is unknown.
     */
    public synchronized boolean shouldRequest(final int ip, final long now) {
        final int i = slot(ip, now);
        if (i < 0) {
            return false;
        }
        final long[] requested = slots.requested;
        if ((slots.macs.get(i) & VALID) != 0
                || requested[i] != NEVER && now - requested[i] < REQUEST_INTERVAL_MILLIS) {
            return false;
        }
        requested[i] = now;
        return true;
    }

    /**
     * Ages the table: calls {@code probe} for each valid entry past its reachable time, up to
     * {@link #UCAST_PROBES} times a request interval apart, and invalidates one still unconfirmed an interval after
     * its last probe. Meant to run about once per request interval; the entry is valid while {@code probe} runs,
     * so the prober may look its MAC up to send the probe there.
     */
    public synchronized void age(final long now, final IntConsumer probe) {
        final Slots t = slots;
        for (int i = 0; i <= t.mask; i++) {
            final int ip = t.keys.get(i);
            final long m = t.macs.get(i);
            if (ip == 0 || (m & VALID) == 0 || !probeDue(t, i, now)) {
                continue;
            }
            if (t.probes[i] < UCAST_PROBES) {
                t.probes[i]++;
                t.requested[i] = now;
                probe.accept(ip);
            } else {
                t.macs.set(i, m & MAC_MASK);
            }
        }
    }

    /** Whether entry {@code i} is stale and an interval has passed since it was last probed. Under the lock. */
    private static boolean probeDue(final Slots t, final int i, final long now) {
        return now - t.confirmed[i] >= REACHABLE_MILLIS
                && (t.requested[i] == NEVER || now - t.requested[i] >= REQUEST_INTERVAL_MILLIS);
    }

    /** Calls {@code visitor} with each valid entry's address and MAC. */
    public void forEach(final Visitor visitor) {
        final Slots t = slots;
        for (int i = 0; i <= t.mask; i++) {
            final int ip = t.keys.get(i);
            final long m = t.macs.get(i);
            if (ip != 0 && (m & VALID) != 0) {
                visitor.entry(ip, m & MAC_MASK);
            }
        }
    }

    /** Times an address could not be given a slot because the table was full of live entries. */
    public synchronized long fullDrops() {
        return full;
    }

    /** Slots given back by reclaiming, in total. */
    public synchronized long reclaimed() {
        return reclaimed;
    }

    private static int find(final Slots t, final int ip) {
        for (int i = t.home(ip), n = 0; n <= t.mask; i = (i + 1) & t.mask, n++) {
            final int k = t.keys.get(i);
            if (k == ip) {
                return i;
            }
            if (k == 0) {
                return -1;
            }
        }
        return -1;
    }

    /** The slot of {@code ip} in {@link #slots}, claimed if new; -1 when the table is full. Under the lock. */
    private int slot(final int ip, final long now) {
        Slots t = slots;
        final int known = find(t, ip);
        if (known >= 0) {
            return known;
        }
        if (t.used * 4 >= (t.mask + 1) * 3) {
            // At most once per request interval: a table full of live neighbours is not copied per packet.
            if (lastReclaim == NEVER || now - lastReclaim >= REQUEST_INTERVAL_MILLIS) {
                lastReclaim = now;
                t = reclaim(t, now);
            }
            if (t.used * 4 >= (t.mask + 1) * 3) {
                full++;
                return -1;
            }
        }
        return t.claim(ip);
    }

    /**
     * Copies the entries still worth a slot (valid, or asked for within the request interval, whose limit a fresh
     * slot would lift) into fresh slots of the same size and publishes them; returns the slots now current.
     * Allocates: only ever when full.
     */
    private Slots reclaim(final Slots old, final long now) {
        final Slots fresh = new Slots(old.mask + 1);
        for (int i = 0; i <= old.mask; i++) {
            final int ip = old.keys.get(i);
            final long m = old.macs.get(i);
            final boolean asked = old.requested[i] != NEVER && now - old.requested[i] < REQUEST_INTERVAL_MILLIS;
            if (ip == 0 || (m & VALID) == 0 && !asked) {
                continue;
            }
            final int j = fresh.claim(ip);
            fresh.macs.set(j, m);
            fresh.confirmed[j] = old.confirmed[i];
            fresh.requested[j] = old.requested[i];
            fresh.probes[j] = old.probes[i];
        }
        reclaimed += old.used - fresh.used;
        if (fresh.used < old.used) {
            slots = fresh;
            return fresh;
        }
        return old;
    }

    /** Receives entries of {@link #forEach}. */
    @FunctionalInterface
    public interface Visitor {
        void entry(int ip, long mac);
    }
}
