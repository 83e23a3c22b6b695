package io.jvs.core.conn;

import io.jvs.core.svc.DestinationState;
import java.util.function.LongSupplier;

/**
 * The director's connection table ({@code ip_vs_conn_tab}) for IPv4: every tracked connection and persistence
 * template, shared by all packet workers, reached from both directions of a NAT flow.
 *
 * <p>Layout: a slot is {@value #STRIDE} longs of one {@code long[]} (48 bytes) plus its owner (the realserver's
 * live state) in a parallel array; with the bucket array and the free-slot stack that is about 60 bytes per
 * connection, and no object per connection. Both directions hash to the same bucket, keyed like the kernel's {@code ip_vs_conn_hashkey} by
 * protocol, client address and client port: an inbound lookup then compares the virtual address and port, an
 * outbound one the realserver's.
 *
 * <p>Concurrency: buckets are guarded by striped locks; every operation that reads or changes a slot does so
 * under its stripe's lock and copies what the caller needs into a {@link ConnectionView}, so a slot freed and
 * reused by another thread is never read half-way. Expiry is a sweep ({@link #expire}) run by one housekeeping
 * thread, a full pass per second or so, over the slots below the high-water mark only: free slots are reused last
 * freed first, lowest first at the start, so the slots in use stay below the most ever used at once, and a box
 * that tracks a handful of connections does not read its whole table (tens of megabytes a second at the default
 * capacity, evicting everyone's caches and taking a CPU for a few hundred microseconds ten times a second).
 */
public final class ConnectionTable {
    /** Longs per slot. */
    static final int STRIDE = 6;
    static final int W_ADDR = 0;    // caddr << 32 | vaddr
    static final int W_PORTS = 1;   // daddr << 32 | cport << 16 | vport
    static final int W_META = 2;    // dport << 48 | protocol << 40 | state << 32 | flags
    static final int W_EXPIRE = 3;  // expiry time, milliseconds of the table's clock; 0 = free slot
    static final int W_TIMER = 4;   // timeout seconds << 32 | control slot + 1
    static final int W_LINK = 5;    // controlled connections << 32 | next slot + 1

    /** Connection flags, the kernel's values where it has one ({@code IP_VS_CONN_F_*}). */
    public static final int F_FWD_MASK = 0x0007;
    public static final int F_NOOUTPUT = 0x0080;
    public static final int F_INACTIVE = 0x0100;
    public static final int F_TEMPLATE = 0x1000;
    /** A template that no longer pins (its realserver went away); kept until its connections end. */
    public static final int F_DEAD_TEMPLATE = 0x10000;

    private static final int LOCK_STRIPES = 1024;

    private final long[] slots;
    private final DestinationState[] owners;
    private final int[] buckets;          // first slot + 1 of each chain; 0 = empty
    private final int bucketMask;
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final int[] freeSlots;        // stack of free slot numbers, guarded by freeLock
    private final Object freeLock = new Object();
    private final LongSupplier clock;
    private final ConnectionListener listener;
    private int freeTop;
    /** One past the highest slot ever allocated: the sweep's bound. Written under freeLock. */
    private volatile int highWater;
    private int sweepCursor;

    /**
     * @param capacity most connections (and templates) tracked at once
     * @param clock    milliseconds of a monotonic clock
     * @param listener told when a connection leaves the table
     */
    public ConnectionTable(final int capacity, final LongSupplier clock, final ConnectionListener listener) {
        if (capacity < 1 || capacity > (1 << 28)) {
            throw new IllegalArgumentException("capacity " + capacity + " out of 1.." + (1 << 28));
        }
        this.slots = new long[capacity * STRIDE];
        this.owners = new DestinationState[capacity];
        this.buckets = new int[Integer.highestOneBit(Math.max(capacity, 16) * 2 - 1)];
        this.bucketMask = buckets.length - 1;
        this.freeSlots = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            freeSlots[i] = capacity - 1 - i;
        }
        this.freeTop = capacity;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
        this.clock = clock;
        this.listener = listener;
    }

    public int capacity() {
        return owners.length;
    }

    /**
     * Connections and templates tracked now: the slots not free. Counted from the free stack, which one lock
     * guards, not by a counter of its own: inserts and removals run under different stripe locks.
     */
    public int size() {
        synchronized (freeLock) {
            return owners.length - freeTop;
        }
    }

    /** One past the highest slot ever in use (at most the most connections tracked at once so far). */
    public int highWater() {
        return highWater;
    }

    /** Bucket of a connection: protocol, client address, client port (so both directions meet). */
    static int hash(final int protocol, final int caddr, final int cport, final int mask) {
        int h = caddr * 0x9E3779B1 ^ (cport << 16 | protocol) * 0x85EBCA77;
        h ^= h >>> 15;
        h *= 0x2C1B3C6D;
        h ^= h >>> 13;
        return h & mask;
    }

    private Object lock(final int bucket) {
        return locks[bucket & (LOCK_STRIPES - 1)];
    }

    /**
     * Finds the connection of a client-to-virtual-service packet, and if found applies the packet to it under
     * the lock ({@link ConnectionView#onPacket}), copying the result into {@code view}.
     *
     * @return whether a connection (not a template) was found
     */
    public boolean inbound(final int protocol, final int caddr, final int cport, final int vaddr, final int vport,
                           final ConnectionView view) {
        final int b = hash(protocol, caddr, cport, bucketMask);
        synchronized (lock(b)) {
            final int s = findIn(b, protocol, caddr, cport, vaddr, vport, false);
            if (s < 0) {
                return false;
            }
            view.load(this, s, true);
            return true;
        }
    }

    /**
     * Finds the connection of a realserver-to-client packet (source {@code daddr:dport}, destination
     * {@code caddr:cport}) and applies the packet to it, as {@link #inbound}.
     */
    public boolean outbound(final int protocol, final int caddr, final int cport, final int daddr, final int dport,
                            final ConnectionView view) {
        final int b = hash(protocol, caddr, cport, bucketMask);
        synchronized (lock(b)) {
            final int s = findOut(b, protocol, caddr, cport, daddr, dport);
            if (s < 0) {
                return false;
            }
            view.load(this, s, false);
            return true;
        }
    }

    /**
     * Adds a connection unless another worker added the same one first; either way {@code view} then holds the
     * table's connection with the packet applied. A template starts with {@code controlled} connections under it.
     *
     * @return true when this call inserted it, false when it existed or the table is full ({@code view.slot < 0})
     */
    public boolean insert(final int protocol, final int caddr, final int cport, final int vaddr, final int vport,
                          final int daddr, final int dport, final int flags, final int state,
                          final int timeoutSeconds, final int controlSlot, final int controlled,
                          final DestinationState owner, final ConnectionView view) {
        final boolean template = (flags & F_TEMPLATE) != 0;
        final int b = hash(protocol, caddr, cport, bucketMask);
        synchronized (lock(b)) {
            final int existing = findIn(b, protocol, caddr, cport, vaddr, vport, template);
            if (existing >= 0) {
                view.load(this, existing, true);
                return false;
            }
            final int s = allocate();
            if (s < 0) {
                view.slot = -1;
                return false;
            }
            final int o = s * STRIDE;
            slots[o + W_ADDR] = (long) caddr << 32 | (vaddr & 0xFFFFFFFFL);
            slots[o + W_PORTS] = (long) daddr << 32 | (cport & 0xFFFFL) << 16 | (vport & 0xFFFF);
            slots[o + W_META] = (long) (dport & 0xFFFF) << 48 | (long) (protocol & 0xFF) << 40
                    | (long) (state & 0xFF) << 32 | (flags & 0xFFFFFFFFL);
            slots[o + W_EXPIRE] = clock.getAsLong() + timeoutSeconds * 1000L;
            slots[o + W_TIMER] = (long) timeoutSeconds << 32 | (controlSlot + 1);
            slots[o + W_LINK] = (long) controlled << 32 | (buckets[b] & 0xFFFFFFFFL);
            owners[s] = owner;
            buckets[b] = s + 1;
            view.load(this, s, true);
            return true;
        }
    }

    /**
     * Finds a live persistence template {@code <protocol, cnet, 0, vaddr, vport>}, restarts its timer, counts
     * one more connection under it, and copies it into {@code view}.
     */
    public boolean useTemplate(final int protocol, final int cnet, final int vaddr, final int vport,
                               final ConnectionView view) {
        final int b = hash(protocol, cnet, 0, bucketMask);
        synchronized (lock(b)) {
            final int s = findIn(b, protocol, cnet, 0, vaddr, vport, true);
            if (s < 0) {
                return false;
            }
            final int o = s * STRIDE;
            slots[o + W_EXPIRE] = clock.getAsLong() + (slots[o + W_TIMER] >>> 32) * 1000L;
            slots[o + W_LINK] += 1L << 32;
            view.load(this, s, true);
            return true;
        }
    }

    /** Undoes one count of {@link #useTemplate} or of a template insert: a connection under it ended or lost a race. */
    public void releaseTemplate(final int slot) {
        final int o = slot * STRIDE;
        // A template is not freed while it controls connections, so its key is stable without the lock.
        final long addr = slots[o + W_ADDR];
        final long meta = slots[o + W_META];
        final int b = hash((int) (meta >>> 40) & 0xFF, (int) (addr >>> 32), 0, bucketMask);
        synchronized (lock(b)) {
            if ((slots[o + W_LINK] >>> 32) > 0 && slots[o + W_EXPIRE] != 0) {
                slots[o + W_LINK] -= 1L << 32;
            }
        }
    }

    /** Marks a template dead: it stops pinning clients and expires once its connections have. */
    public void killTemplate(final int slot) {
        final int o = slot * STRIDE;
        final long addr = slots[o + W_ADDR];
        final long meta = slots[o + W_META];
        final int b = hash((int) (meta >>> 40) & 0xFF, (int) (addr >>> 32), 0, bucketMask);
        synchronized (lock(b)) {
            if ((slots[o + W_META] & F_TEMPLATE) != 0 && slots[o + W_EXPIRE] != 0) {
                slots[o + W_META] |= F_DEAD_TEMPLATE;
            }
        }
    }

    /** Removes a connection now (a reused port, an expired destination); no-op if it is already gone. */
    public void remove(final int protocol, final int caddr, final int cport, final int vaddr, final int vport) {
        final int b = hash(protocol, caddr, cport, bucketMask);
        int control = -1;
        synchronized (lock(b)) {
            final int s = findIn(b, protocol, caddr, cport, vaddr, vport, false);
            if (s >= 0) {
                control = unlink(b, s);
            }
        }
        if (control >= 0) {
            releaseTemplate(control);
        }
    }

    /**
     * One step of the expiry sweep: checks {@code count} slots below the {@link #highWater() high-water mark} from
     * where the last step stopped, and frees the expired ones (templates that still control connections get a new
     * lease instead).
     *
     * @return connections expired
     */
    public int expire(final int count) {
        final int bound = highWater;
        final long now = clock.getAsLong();
        int expired = 0;
        for (int n = 0; n < count && bound > 0; n++) {
            final int s = sweepCursor < bound ? sweepCursor : 0;
            sweepCursor = s + 1 >= bound ? 0 : s + 1;
            final int o = s * STRIDE;
            final long at = slots[o + W_EXPIRE];   // racy pre-check; decided again under the lock
            if (at == 0 || at > now) {
                continue;
            }
            final long addr = slots[o + W_ADDR];
            final long ports = slots[o + W_PORTS];
            final long meta = slots[o + W_META];
            final int b = bucketOf(addr, ports, meta);
            int control = -1;
            boolean removed = false;
            synchronized (lock(b)) {
                if (!still(o, addr, ports, meta) || slots[o + W_EXPIRE] > now) {
                    continue;
                }
                if ((slots[o + W_META] & F_TEMPLATE) != 0 && (slots[o + W_LINK] >>> 32) > 0) {
                    slots[o + W_EXPIRE] = now + (slots[o + W_TIMER] >>> 32) * 1000L;
                    continue;
                }
                control = unlink(b, s);
                removed = true;
            }
            if (removed) {
                expired++;
                if (control >= 0) {
                    releaseTemplate(control);
                }
            }
        }
        return expired;
    }

    /**
     * Ends every connection whose realserver is no longer available, then every template pointing to one that no
     * connection is left under, as the kernel's {@code ip_vs_expire_nodest_conn_flush} (queued when a realserver
     * is deleted with {@code expire_nodest_conn} set). Reads the slots ever in use; run by housekeeping.
     *
     * @return connections and templates removed
     */
    public int expireNodest() {
        final int bound = highWater;
        int removed = 0;
        for (int pass = 0; pass < 2; pass++) {
            final boolean templates = pass == 1;
            for (int s = 0; s < bound; s++) {
                final DestinationState owner = owners[s];   // racy pre-check; decided again under the lock
                if (owner == null || owner.isAvailable()) {
                    continue;
                }
                final int o = s * STRIDE;
                final long addr = slots[o + W_ADDR];
                final long ports = slots[o + W_PORTS];
                final long meta = slots[o + W_META];
                final int b = bucketOf(addr, ports, meta);
                int control = -1;
                synchronized (lock(b)) {
                    if (!still(o, addr, ports, meta) || owners[s] != owner
                            || ((slots[o + W_META] & F_TEMPLATE) != 0) != templates
                            || templates && (slots[o + W_LINK] >>> 32) > 0) {
                        continue;
                    }
                    control = unlink(b, s);
                }
                removed++;
                if (control >= 0) {
                    releaseTemplate(control);
                }
            }
        }
        return removed;
    }

    /** Calls {@code visitor} for every live slot, each under its lock (the {@code -Lc} listing). */
    public void forEach(final ConnectionView view, final Runnable visitor) {
        for (int b = 0; b < buckets.length; b++) {
            synchronized (lock(b)) {
                for (int s = buckets[b] - 1; s >= 0; s = (int) slots[s * STRIDE + W_LINK] - 1) {
                    view.copy(this, s);
                    visitor.run();
                }
            }
        }
    }

    /** The bucket of a slot read without its lock (a sweep's pre-check): protocol, client address and port. */
    private int bucketOf(final long addr, final long ports, final long meta) {
        return hash((int) (meta >>> 40) & 0xFF, (int) (addr >>> 32), (int) (ports >>> 16) & 0xFFFF, bucketMask);
    }

    /**
     * Under bucket {@link #bucketOf}'s lock: whether slot offset {@code o} still holds the connection read without
     * it. The protocol counts too: a slot freed and reused meanwhile by the same addresses and ports of another
     * protocol lives in another bucket.
     */
    private boolean still(final int o, final long addr, final long ports, final long meta) {
        return slots[o + W_EXPIRE] != 0 && slots[o + W_ADDR] == addr && slots[o + W_PORTS] == ports
                && ((slots[o + W_META] ^ meta) & 0xFF0000000000L) == 0;
    }

    // ---- under the bucket's lock ----

    private int findIn(final int b, final int protocol, final int caddr, final int cport, final int vaddr,
                       final int vport, final boolean template) {
        final long addr = (long) caddr << 32 | (vaddr & 0xFFFFFFFFL);
        final long ports = (cport & 0xFFFFL) << 16 | (vport & 0xFFFF);
        for (int s = buckets[b] - 1; s >= 0; s = (int) slots[s * STRIDE + W_LINK] - 1) {
            final int o = s * STRIDE;
            final long meta = slots[o + W_META];
            if (slots[o + W_ADDR] == addr && (slots[o + W_PORTS] & 0xFFFFFFFFL) == ports
                    && ((int) (meta >>> 40) & 0xFF) == protocol
                    && ((meta & F_TEMPLATE) != 0) == template && (meta & F_DEAD_TEMPLATE) == 0) {
                return s;
            }
        }
        return -1;
    }

    private int findOut(final int b, final int protocol, final int caddr, final int cport, final int daddr,
                        final int dport) {
        for (int s = buckets[b] - 1; s >= 0; s = (int) slots[s * STRIDE + W_LINK] - 1) {
            final int o = s * STRIDE;
            final long meta = slots[o + W_META];
            final long ports = slots[o + W_PORTS];
            if ((int) (slots[o + W_ADDR] >>> 32) == caddr && (int) (ports >>> 32) == daddr
                    && ((int) (ports >>> 16) & 0xFFFF) == cport && (int) (meta >>> 48) == dport
                    && ((int) (meta >>> 40) & 0xFF) == protocol && (meta & F_TEMPLATE) == 0) {
                return s;
            }
        }
        return -1;
    }

    /** Takes a slot out of its chain and frees it; returns its controlling template's slot or -1. */
    private int unlink(final int b, final int s) {
        final int o = s * STRIDE;
        int prev = -1;
        for (int c = buckets[b] - 1; c >= 0 && c != s; c = (int) slots[c * STRIDE + W_LINK] - 1) {
            prev = c;
        }
        final int next = (int) slots[o + W_LINK];
        if (prev < 0) {
            buckets[b] = next;
        } else {
            final int po = prev * STRIDE + W_LINK;
            slots[po] = (slots[po] & 0xFFFFFFFF00000000L) | (next & 0xFFFFFFFFL);
        }
        final long meta = slots[o + W_META];
        final DestinationState owner = owners[s];
        final int control = (int) slots[o + W_TIMER] - 1;
        listener.removed(owner, (int) meta, (int) (meta >>> 32) & 0xFF);
        slots[o + W_EXPIRE] = 0;
        owners[s] = null;
        free(s);
        return control;
    }

    private int allocate() {
        synchronized (freeLock) {
            if (freeTop == 0) {
                return -1;
            }
            final int s = freeSlots[--freeTop];
            if (s >= highWater) {
                highWater = s + 1;
            }
            return s;
        }
    }

    private void free(final int s) {
        synchronized (freeLock) {
            freeSlots[freeTop++] = s;
        }
    }

    // ---- for ConnectionView, under the bucket's lock ----

    long word(final int slot, final int word) {
        return slots[slot * STRIDE + word];
    }

    void word(final int slot, final int word, final long value) {
        slots[slot * STRIDE + word] = value;
    }

    DestinationState owner(final int slot) {
        return owners[slot];
    }

    long now() {
        return clock.getAsLong();
    }
}
