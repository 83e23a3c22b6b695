package io.jvs.sched.hashing;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.SchedulerContext;
import io.jvs.api.sched.ServiceScheduler;

/**
 * Source hashing ({@code ip_vs_sh.c}).
 *
 * <p>A static table of 256 buckets maps the client's source address to a destination. On every change of
 * destinations the table is refilled by walking the list cyclically (newest first), each destination taking
 * {@code weight} consecutive buckets before the next one; a quiescent destination still takes one bucket, since the
 * count test is {@code ++count >= weight}. The bucket of a flow is
 * {@code (offset + hash_32(port + addr, 8)) & 255} with offset 0, the address folded to 32 bits in host order and
 * the port 0 unless sh-port ({@code SCHED2}) adds the TCP, UDP or SCTP source port. The destination found must be
 * neither quiescent nor overloaded, else no destination is available; with sh-fallback ({@code SCHED1}) the table is
 * probed again with offsets {@code (ihash + k) mod 256} for k = 0..255, the first available destination winning and
 * an empty bucket ending the search. Lookups read an immutable table published by one volatile write.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=sh")
public final class SourceHashing implements Scheduler {
    static final int TAB_BITS = 8;
    static final int TAB_SIZE = 1 << TAB_BITS;
    static final int TAB_MASK = TAB_SIZE - 1;

    @Override
    public String name() {
        return "sh";
    }

    @Override
    public ServiceScheduler create(final SchedulerContext context) {
        return new State(context);
    }

    /** {@code ip_vs_sh_hashkey}. */
    static int bucket(final int addressFold, final int port, final int offset) {
        return (offset + Hashing.hash32(port + addressFold, TAB_BITS)) & TAB_MASK;
    }

    /** {@code ip_vs_sh_reassign}: each destination fills {@code weight} consecutive buckets, cycling the list. */
    static RealServer[] fill(final List<? extends RealServer> destinations) {
        final RealServer[] table = new RealServer[TAB_SIZE];
        final int n = destinations.size();
        if (n == 0) {
            return table;
        }
        int p = 0;
        int count = 0;
        for (int i = 0; i < TAB_SIZE; i++) {
            final RealServer dest = destinations.get(p);
            table[i] = dest;
            if (++count >= dest.weight()) {
                p = p + 1 == n ? 0 : p + 1;
                count = 0;
            }
        }
        return table;
    }

    private static final class State implements ServiceScheduler {
        private final SchedulerContext context;
        private volatile RealServer[] table = new RealServer[TAB_SIZE];

        State(final SchedulerContext context) {
            this.context = context;
        }

        @Override
        public void update(final List<? extends RealServer> destinations) {
            table = fill(destinations);
        }

        @Override
        public RealServer schedule(final Flow flow) {
            final RealServer[] t = table;
            final int flags = context.schedFlags();
            final int addr = flow.sourceAddressFold();
            final int port = Hashing.hashedPort(flow, flags);
            final int ihash = bucket(addr, port, 0);
            RealServer dest = t[ihash];
            if (dest == null || Hashing.available(dest)) {
                return dest;
            }
            if ((flags & SchedulerContext.SCHED1) == 0) {
                return null;
            }
            for (int offset = 0; offset < TAB_SIZE; offset++) {
                dest = t[bucket(addr, port, (offset + ihash) & TAB_MASK)];
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
