package io.jvs.sched.locality;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.RealServer;

/**
 * What lblc and lblcr share ({@code ip_vs_lblc.c}, {@code ip_vs_lblcr.c}): the destination members, the weighted
 * least-connection pick, the "overloaded while another is less than half loaded" test, and the cache keyed by
 * destination address with its garbage collection.
 */
final class Locality {
    static final int TAB_BITS = 10;
    static final int TAB_SIZE = 1 << TAB_BITS;
    static final int TAB_MASK = TAB_SIZE - 1;
    /** {@code max_size}: partial collection starts above 16 entries per bucket. */
    static final int MAX_SIZE = TAB_SIZE * 16;
    static final long CHECK_EXPIRE_INTERVAL = 60_000L;
    static final long ENTRY_TIMEOUT = 6 * 60_000L;
    /** Default of the sysctls {@code lblc_expiration} and {@code lblcr_expiration}: 24 hours. */
    static final long DEFAULT_EXPIRATION = 24 * 60 * 60_000L;
    static final int COUNT_FOR_FULL_EXPIRATION = 30;
    static final Member[] NONE = new Member[0];

    private Locality() {
    }

    /** A destination as the cache holds it; {@code available} turns false when it leaves the service. */
    static final class Member {
        final RealServer server;
        volatile boolean available = true;

        Member(final RealServer server) {
            this.server = server;
        }
    }

    /** The members for a new destination list, reusing those of destinations already present (by identity). */
    static Member[] members(final List<? extends RealServer> destinations, final Member[] previous) {
        final Map<RealServer, Member> known = new IdentityHashMap<>();
        for (final Member member : previous) {
            known.put(member.server, member);
        }
        final Member[] next = new Member[destinations.size()];
        for (int i = 0; i < next.length; i++) {
            final Member member = known.remove(destinations.get(i));
            next[i] = member != null ? member : new Member(destinations.get(i));
        }
        for (final Member gone : known.values()) {
            gone.available = false;
        }
        return next;
    }

    static long overhead(final RealServer dest) {
        return ((long) dest.activeConns() << 8) + dest.inactiveConns();
    }

    /** Weighted least-connection over the service, skipping overloaded and quiescent destinations. */
    static Member leastLoaded(final Member[] members) {
        final int n = members.length;
        int i = 0;
        while (i < n && (members[i].server.isOverloaded() || members[i].server.weight() <= 0)) {
            i++;
        }
        if (i == n) {
            return null;
        }
        Member least = members[i];
        long leastOverhead = overhead(least.server);
        for (i++; i < n; i++) {
            final RealServer dest = members[i].server;
            if (dest.isOverloaded()) {
                continue;
            }
            final long overhead = overhead(dest);
            if (leastOverhead * dest.weight() > overhead * least.server.weight()) {
                least = members[i];
                leastOverhead = overhead;
            }
        }
        return least;
    }

    /** {@code is_overloaded}: more active connections than weight while some destination is below half its weight. */
    static boolean overloaded(final RealServer dest, final Member[] members) {
        if (dest.activeConns() > dest.weight()) {
            for (final Member member : members) {
                if ((long) member.server.activeConns() * 2 < member.server.weight()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A cache entry: a destination address (IPv6 in two halves) and when it was last used. */
    abstract static class Entry {
        final boolean ipv6;
        final long high;
        final long low;
        volatile long lastUse;
        volatile Entry next;

        Entry(final Flow flow, final long now) {
            this.ipv6 = flow.isIpv6();
            this.high = flow.destinationAddressHigh();
            this.low = flow.destinationAddressLow();
            this.lastUse = now;
        }

        final boolean matches(final Flow flow) {
            return ipv6 == flow.isIpv6() && low == flow.destinationAddressLow()
                && high == flow.destinationAddressHigh();
        }
    }

    /**
     * The per-service cache: 1024 chained buckets at {@code hash_32(addr_fold, 10)}. Lookups walk a chain without a
     * lock; insertions and removals take {@link #lock} (the kernel's {@code svc->sched_lock}).
     */
    static final class Table {
        final Object lock = new Object();
        private final AtomicReferenceArray<Entry> buckets = new AtomicReferenceArray<>(TAB_SIZE);
        private int entries;            // guarded by lock
        private int rover;              // the rest: guarded by this (the collector)
        private int counter = 1;
        private long nextCheck;

        Table(final long now) {
            nextCheck = now + CHECK_EXPIRE_INTERVAL;
        }

        static int bucket(final Flow flow) {
            return (flow.destinationAddressFold() * 0x61C88647) >>> (32 - TAB_BITS);
        }

        Entry get(final Flow flow) {
            for (Entry e = buckets.get(bucket(flow)); e != null; e = e.next) {
                if (e.matches(flow)) {
                    return e;
                }
            }
            return null;
        }

        /** Adds an entry at the head of its bucket. Caller holds {@link #lock}. */
        void add(final Entry entry, final Flow flow) {
            final int h = bucket(flow);
            entry.next = buckets.get(h);
            buckets.set(h, entry);
            entries++;
        }

        int size() {
            synchronized (lock) {
                return entries;
            }
        }

        /**
         * The 60 s garbage-collection timer: every 30th run removes entries idle for {@code expiration}; other runs
         * act only above {@link #MAX_SIZE} entries, removing entries idle for 6 minutes until
         * {@code min((entries - max) * 4 / 3, max / 2)} are gone. Runs at most once per 60 s of {@code now}.
         */
        synchronized void expire(final long now, final long expiration) {
            if (now - nextCheck < 0) {
                return;
            }
            nextCheck = now + CHECK_EXPIRE_INTERVAL;
            if (counter % COUNT_FOR_FULL_EXPIRATION == 0) {
                sweep(now, expiration, Integer.MAX_VALUE);
                counter = 1;
                return;
            }
            final int size = size();
            if (size <= MAX_SIZE) {
                counter++;
                return;
            }
            sweep(now, ENTRY_TIMEOUT, Math.min((size - MAX_SIZE) * 4 / 3, MAX_SIZE / 2));
        }

        private void sweep(final long now, final long timeout, int goal) {
            int j = rover;
            for (int i = 0; i < TAB_SIZE; i++) {
                j = (j + 1) & TAB_MASK;
                synchronized (lock) {
                    Entry previous = null;
                    for (Entry e = buckets.get(j); e != null; e = e.next) {
                        if (now - e.lastUse < timeout) {
                            previous = e;
                            continue;
                        }
                        if (previous == null) {
                            buckets.set(j, e.next);
                        } else {
                            previous.next = e.next;
                        }
                        entries--;
                        goal--;
                    }
                }
                if (goal <= 0) {
                    break;
                }
            }
            rover = j;
        }
    }
}
