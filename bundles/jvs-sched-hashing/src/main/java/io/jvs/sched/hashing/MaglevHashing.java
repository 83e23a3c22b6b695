package io.jvs.sched.hashing;

import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.SchedulerContext;
import io.jvs.api.sched.ServiceScheduler;

/**
 * Maglev hashing ({@code ip_vs_mh.c}; Eisenbud et al., "Maglev", NSDI 2016, section 3.4).
 *
 * <p>A lookup table of M = 4093 slots (a prime; the kernel's default {@code CONFIG_IP_VS_MH_TAB_INDEX} 12) maps a
 * hash of the client's source address to a destination. Each destination gets a permutation of the slots from two
 * hashes of {@code port + addr} (its own address folded to 32 bits in host order, and port): {@code offset = h1 mod M}
 * and {@code skip = h2 mod (M - 1) + 1}, with {@code h = hsiphash} under the fixed keys {2654435761, 2654435761} and
 * {2654446892, 2654446892}. Population cycles the list (newest first); each destination in turn claims
 * {@code turns} slots, each the next free slot of its permutation, until all M slots are taken.
 *
 * <p>Weights enter as {@code turns = (lastWeight / g) >> rshift} (at least 1 when lastWeight is not 0), where g is the
 * gcd of the positive last weights and {@code rshift = max(0, fls(max / g) - 6)} keeps the counts small. The last
 * weight is the weight at addition or the latest non-zero weight: quiescing a destination (weight 0) leaves the table
 * as it is, so its flows do not move elsewhere until it is removed. A destination added with weight 0 takes no slot.
 *
 * <p>Lookup: slot {@code h1(addr + port) mod M}, the port being 0 unless mh-port ({@code SCHED2}) adds the TCP, UDP
 * or SCTP source port. The destination must be neither quiescent nor overloaded; with mh-fallback ({@code SCHED1})
 * the slots {@code h1(addr + port + (ihash + k) mod M) mod M}, k = 0..M-1, are tried in turn, an empty slot ending
 * the search. More than M destinations are refused. The table is immutable and published by one volatile write.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=mh")
public final class MaglevHashing implements Scheduler {
    /** {@code primes[CONFIG_IP_VS_MH_TAB_INDEX - 8]}. */
    static final int TAB_SIZE = 4093;
    /** {@code CONFIG_IP_VS_MH_TAB_INDEX / 2}. */
    static final int TAB_BITS = 6;
    static final long HASH1_KEY = 2654435761L;
    static final long HASH2_KEY = 2654446892L;

    @Override
    public String name() {
        return "mh";
    }

    @Override
    public ServiceScheduler create(final SchedulerContext context) {
        return new State(context);
    }

    /** {@code ip_vs_mh_hashkey} with {@code hash1}, already reduced mod M. */
    static int slot(final int addressFold, final int port, final int offset) {
        return Integer.remainderUnsigned(Hashing.hsiphash32(offset + port + addressFold, HASH1_KEY, HASH1_KEY),
            TAB_SIZE);
    }

    /**
     * {@code ip_vs_mh_permutate} and {@code ip_vs_mh_populate}: the lookup table for these destinations and last
     * weights (parallel lists), all slots null when no last weight is positive.
     */
    static RealServer[] populate(final List<? extends RealServer> dests, final int[] lastWeights) {
        final RealServer[] table = new RealServer[TAB_SIZE];
        final int n = dests.size();
        int g = 0;
        int max = 0;
        for (final int lw : lastWeights) {
            if (lw > 0) {
                g = g > 0 ? Hashing.gcd(lw, g) : lw;
            }
            max = Math.max(max, lw);
        }
        if (g < 1) {
            return table;
        }
        final int rshift = Math.max(0, (32 - Integer.numberOfLeadingZeros(max / g)) - TAB_BITS);
        final int[] skip = new int[n];
        final int[] perm = new int[n];
        final int[] turns = new int[n];
        for (int i = 0; i < n; i++) {
            final RealServer dest = dests.get(i);
            final int key = dest.port() + dest.addressFold();
            perm[i] = Integer.remainderUnsigned(Hashing.hsiphash32(key, HASH1_KEY, HASH1_KEY), TAB_SIZE);
            skip[i] = Integer.remainderUnsigned(Hashing.hsiphash32(key, HASH2_KEY, HASH2_KEY), TAB_SIZE - 1) + 1;
            final int t = (lastWeights[i] / g) >> rshift;
            turns[i] = t != 0 ? t : (lastWeights[i] != 0 ? 1 : 0);
        }
        final BitSet taken = new BitSet(TAB_SIZE);
        int filled = 0;
        int turn = 0;
        while (true) {
            for (int i = 0; i < n; ) {
                if (turns[i] < 1) {
                    i++;
                    continue;
                }
                int c = perm[i];
                while (taken.get(c)) {
                    c += skip[i];
                    if (c >= TAB_SIZE) {
                        c -= TAB_SIZE;
                    }
                }
                perm[i] = c;
                taken.set(c);
                table[c] = dests.get(i);
                if (++filled == TAB_SIZE) {
                    return table;
                }
                if (++turn >= turns[i]) {
                    turn = 0;
                    i++;
                }
            }
        }
    }

    private static final class State implements ServiceScheduler {
        private final SchedulerContext context;
        private volatile RealServer[] table = new RealServer[TAB_SIZE];
        private Map<RealServer, Integer> lastWeights = new IdentityHashMap<>();   // control plane only

        State(final SchedulerContext context) {
            this.context = context;
        }

        @Override
        public synchronized void update(final List<? extends RealServer> destinations) {
            if (destinations.size() > TAB_SIZE) {
                throw new IllegalArgumentException("mh holds at most " + TAB_SIZE + " destinations, not "
                    + destinations.size());
            }
            final Map<RealServer, Integer> next = new IdentityHashMap<>();
            final int[] lw = new int[destinations.size()];
            for (int i = 0; i < lw.length; i++) {
                final RealServer dest = destinations.get(i);
                final Integer previous = lastWeights.get(dest);
                final int weight = dest.weight();
                lw[i] = previous == null || weight != 0 ? weight : previous;   // keep the latest non-zero weight
                next.put(dest, lw[i]);
            }
            lastWeights = next;
            table = populate(destinations, lw);
        }

        @Override
        public RealServer schedule(final Flow flow) {
            final RealServer[] t = table;
            final int flags = context.schedFlags();
            final int addr = flow.sourceAddressFold();
            final int port = Hashing.hashedPort(flow, flags);
            final int ihash = slot(addr, port, 0);
            RealServer dest = t[ihash];
            if (dest == null || Hashing.available(dest)) {
                return dest;
            }
            if ((flags & SchedulerContext.SCHED1) == 0) {
                return null;
            }
            for (int offset = 0; offset < TAB_SIZE; offset++) {
                int roffset = offset + ihash;
                if (roffset >= TAB_SIZE) {
                    roffset -= TAB_SIZE;
                }
                dest = t[slot(addr, port, roffset)];
                if (dest == null) {
                    return null;
                }
                if (Hashing.available(dest)) {
                    return dest;
                }
            }
            return null;
        }
    }
}
