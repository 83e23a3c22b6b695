package io.jvs.api.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The destinations of one virtual service in the kernel's list order, with their live loads copied into flat
 * arrays. The schedulers that look at every destination on every decision (lc wlc sed nq fo ovf twos) scan two
 * {@code long} arrays instead of calling four methods on a hundred objects, which is what brings a decision
 * over 100 destinations under 50 ns.
 *
 * <p>Each destination {@code i} has two words, both with the <em>eligible weight</em> in the top 16 bits: the
 * weight when the destination may take a new connection, 0 when it is quiescent (weight 0) or overloaded.
 * <ul>
 * <li>{@link #load(int)}: eligible weight, then {@code activeconns * 256 + inactconns} (IPVS's
 * {@code ip_vs_dest_conn_overhead}) in the low 48 bits;</li>
 * <li>{@link #active(int)}: eligible weight, then {@code activeconns} in the low 48 bits.</li>
 * </ul>
 * Use {@link #weight(long)} and {@link #value(long)} to take them apart. A weight above 65535 (beyond ipvsadm's
 * range, which the table refuses) counts as 65535.
 *
 * <p>For the schedulers that take the first destination with the smallest ratio (lc, wlc, sed, nq) the board also
 * keeps one exact integer key per destination and {@link Order}, so that {@link #firstMinimum} is a minimum over a
 * {@code long} array (which the JIT vectorises) and a short search for its first occurrence, without one
 * multiplication or unpredictable branch per destination. The keys are exact while every overhead stays under
 * 2<sup>31</sup> and the board under 65,536 destinations, which {@link #ordered()} reports; a scheduler uses its
 * plain loop over the words otherwise. For weighted random choices (twos) it keeps {@link #eligibleWeight()}, the
 * sum of the eligible weights, and a Fenwick tree of them, so {@link #weightedPosition} is O(log n).
 *
 * <p>Two ways to keep a board current. The packet core <em>pushes</em>: it hands {@link ServiceScheduler#update}
 * a board made with {@link #pushed} and calls {@link #set} whenever a destination's weight, overload flag or
 * counts change, so {@link #sync} costs nothing. Any other list is wrapped by {@link #of} into a board that
 * <em>pulls</em>: {@link #sync} re-reads every destination through {@link RealServer} before each decision
 * (correct for test doubles and embedders, but no faster than reading the objects).
 *
 * <p>Readers use plain loads, as the kernel reads its atomic counters: a decision racing with a connection
 * event sees the value before or after it.
 */
public final class LoadBoard extends AbstractList<RealServer> implements RandomAccess {
    /** Where the eligible weight starts in both words. */
    public static final int WEIGHT_SHIFT = 48;
    /** The low 48 bits: overhead or active connections. */
    public static final long VALUE_MASK = (1L << WEIGHT_SHIFT) - 1;

    /**
     * What {@link #firstMinimum} orders by. A destination that takes no new connection keys as
     * {@link Long#MAX_VALUE}; equal ratios give equal keys, so the first minimum is the kernel's choice.
     */
    public enum Order {
        /** {@code overhead} (lc); the key carries the position in its low 16 bits, so ties need no search. */
        OVERHEAD,
        /** {@code overhead / weight} (wlc), as {@code floor(overhead * 2^32 / weight)}. */
        OVERHEAD_PER_WEIGHT,
        /** {@code (activeconns + 1) / weight} (sed), as {@code floor((activeconns + 1) * 2^32 / weight)}. */
        DELAY,
        /**
         * nq: an idle destination (no active connection) keys as its position, so the first idle one wins over any
         * delay (a busy destination's key is at least 2^33 / 65535 > 65535); a busy one as {@link #DELAY}.
         */
        IDLE_THEN_DELAY
    }

    /** Distinct ratios of weights up to 65535 differ by at least 2^-32: 32 fraction bits keep them apart. */
    private static final int FRACTION_BITS = 32;
    private static final long EXACT_LIMIT = 1L << 31;
    private static final int MAX_ORDERED = 1 << 16;
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle WEIGHT_SUM;
    private static final VarHandle WIDE;

    static {
        try {
            WEIGHT_SUM = MethodHandles.lookup().findVarHandle(LoadBoard.class, "weightSum", long.class);
            WIDE = MethodHandles.lookup().findVarHandle(LoadBoard.class, "wide", boolean.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private static final LoadBoard EMPTY = new LoadBoard(List.of(), false);

    private final RealServer[] servers;
    private final long[] loads;
    private final long[] actives;
    private final long[][] keys = new long[Order.values().length][];
    /** Fenwick tree (1-based) of the eligible weights: node j sums the {@code j & -j} weights ending at j. */
    private final long[] fenwick;
    private final boolean pull;
    /** Sum of the eligible weights, kept by {@link #set} from each load word it replaces. */
    private volatile long weightSum;
    /** Set for good once a value no longer fits the exact keys. */
    private volatile boolean wide;

    private LoadBoard(final List<? extends RealServer> destinations, final boolean pull) {
        this.servers = destinations.toArray(new RealServer[0]);
        this.loads = new long[servers.length];
        this.actives = new long[servers.length];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = new long[servers.length];
        }
        // A power-of-two size (the padding weighs nothing) lets the walk in weightedPosition skip bound checks.
        this.fenwick = new long[Integer.highestOneBit(Math.max(1, servers.length) * 2 - 1) + 1];
        this.wide = servers.length > MAX_ORDERED;
        this.pull = pull;
        for (int i = 0; i < servers.length; i++) {
            read(i);
        }
    }

    /**
     * A board the caller keeps current with {@link #set}; the destinations' values are read once now. Control
     * plane; allocates.
     */
    public static LoadBoard pushed(final List<? extends RealServer> destinations) {
        return destinations.isEmpty() ? EMPTY : new LoadBoard(destinations, false);
    }

    /** The board itself when {@code destinations} is one, else a board that pulls. Control plane; allocates. */
    public static LoadBoard of(final List<? extends RealServer> destinations) {
        if (destinations instanceof LoadBoard board) {
            return board;
        }
        return destinations.isEmpty() ? EMPTY : new LoadBoard(destinations, true);
    }

    /** The board with no destination. */
    public static LoadBoard empty() {
        return EMPTY;
    }

    /** Brings a pulling board up to date; a no-op for a pushed one. Call once at the start of a decision. */
    public void sync() {
        if (pull) {
            for (int i = 0; i < servers.length; i++) {
                read(i);
            }
        }
    }

    /** Writes destination {@code i}'s words and keys. Safe from any thread; the last writer wins, per word. */
    public void set(final int i, final int weight, final boolean overloaded, final int activeConns,
                    final int inactiveConns) {
        final int w = overloaded || weight <= 0 ? 0 : Math.min(weight, 0xFFFF);
        final long eligible = (long) w << WEIGHT_SHIFT;
        final long active = Math.max(0, activeConns);
        final long overhead = (active << 8) + Math.max(0, inactiveConns);
        final long before = (long) WORDS.getAndSet(loads, i, eligible | overhead);
        final long delta = w - weight(before);
        if (delta != 0) {
            // Adds commute, so concurrent writers keep the sum and the tree exact once they are done.
            WEIGHT_SUM.getAndAdd(this, delta);
            for (int j = i + 1; j < fenwick.length; j += j & -j) {
                WORDS.getAndAdd(fenwick, j, delta);
            }
        }
        WORDS.setOpaque(actives, i, eligible | active);
        if (overhead >= EXACT_LIMIT && !wide) {
            WIDE.setVolatile(this, true);
        }
        if (w == 0) {
            for (final long[] k : keys) {
                WORDS.setOpaque(k, i, Long.MAX_VALUE);
            }
            return;
        }
        // Clamped, so that a reader that has not seen the board turn wide yet still reads sane keys.
        final long delay = (Math.min(active + 1, EXACT_LIMIT - 1) << FRACTION_BITS) / w;
        WORDS.setOpaque(keys[Order.OVERHEAD.ordinal()], i, (overhead << 16) | (i & 0xFFFF));
        WORDS.setOpaque(keys[Order.OVERHEAD_PER_WEIGHT.ordinal()], i,
                (Math.min(overhead, EXACT_LIMIT - 1) << FRACTION_BITS) / w);
        WORDS.setOpaque(keys[Order.DELAY.ordinal()], i, delay);
        WORDS.setOpaque(keys[Order.IDLE_THEN_DELAY.ordinal()], i, active == 0 ? i : delay);
    }

    /** Whether the keys are exact, so that {@link #firstMinimum} gives the kernel's choice. */
    public boolean ordered() {
        return !wide;
    }

    /**
     * The position of the first destination with the smallest key of {@code order}, or -1 when none is eligible.
     * Exact when {@link #ordered()}.
     */
    public int firstMinimum(final Order order) {
        final long[] k = keys[order.ordinal()];
        final int n = k.length;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, k[i]);
        }
        if (min == Long.MAX_VALUE) {
            return -1;
        }
        if (order == Order.OVERHEAD) {
            return (int) (min & 0xFFFF);
        }
        if (order == Order.IDLE_THEN_DELAY && min >= 0 && min < MAX_ORDERED) {
            return (int) min;
        }
        for (int i = 0; i < n; i++) {
            if (k[i] == min) {
                return i;
            }
        }
        // The minimum changed under us (a connection event on another worker): one plain pass.
        min = Long.MAX_VALUE;
        int first = -1;
        for (int i = 0; i < n; i++) {
            if (k[i] < min) {
                min = k[i];
                first = i;
            }
        }
        return first;
    }

    /** The sum of the eligible weights. */
    public long eligibleWeight() {
        return weightSum;
    }

    /**
     * The first position at which the running sum of eligible weights, in list order, reaches {@code r}; for
     * {@code r <= 0} the first eligible destination. -1 when {@code r} is beyond {@link #eligibleWeight()} (the
     * weights changed meanwhile). A walk down the Fenwick tree: O(log n).
     */
    public int weightedPosition(final long r) {
        final long rest0 = Math.max(r, 1);
        if (rest0 > weightSum) {
            return -1;
        }
        long rest = rest0;
        int pos = 0;
        // Branch-free: the comparisons are random, and a mispredicted branch per level costs more than the walk.
        for (int step = (fenwick.length - 1) >>> 1; step > 0; step >>>= 1) {
            final long sum = fenwick[pos + step];
            final long take = (sum - rest) >> 63; // -1 when sum < rest
            pos += step & (int) take;
            rest -= sum & take;
        }
        return pos < servers.length ? pos : -1;
    }

    private void read(final int i) {
        final RealServer s = servers[i];
        set(i, s.weight(), s.isOverloaded(), s.activeConns(), s.inactiveConns());
    }

    /** Eligible weight and overhead of destination {@code i}. */
    public long load(final int i) {
        return loads[i];
    }

    /** Eligible weight and active connections of destination {@code i}. */
    public long active(final int i) {
        return actives[i];
    }

    /** The eligible weight of a word: 0..65535, 0 when the destination takes no new connection. */
    public static int weight(final long word) {
        return (int) (word >>> WEIGHT_SHIFT);
    }

    /** The low part of a word: the overhead of a {@link #load} word, the active count of an {@link #active} one. */
    public static long value(final long word) {
        return word & VALUE_MASK;
    }

    /** Destination {@code i}, in list order. */
    @Override
    public RealServer get(final int i) {
        return servers[i];
    }

    @Override
    public int size() {
        return servers.length;
    }
}
