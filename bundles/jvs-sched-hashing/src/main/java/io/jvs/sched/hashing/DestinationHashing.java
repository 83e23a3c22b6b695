package io.jvs.sched.hashing;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.SchedulerContext;
import io.jvs.api.sched.ServiceScheduler;

/**
 * Destination hashing ({@code ip_vs_dh.c}), for cache clusters.
 *
 * <p>A static table of 256 buckets maps the packet's destination address to a destination. On every change of
 * destinations the buckets are dealt round-robin over the list, one bucket per destination per turn: weights play no
 * part in the layout. The bucket is {@code hash_32(addr, 8)} of the destination address folded to 32 bits in host
 * order. The destination found must be neither quiescent nor overloaded, else no destination is available; there is
 * no fallback. Lookups read an immutable table published by one volatile write.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=dh")
public final class DestinationHashing implements Scheduler {
    static final int TAB_BITS = 8;
    static final int TAB_SIZE = 1 << TAB_BITS;

    @Override
    public String name() {
        return "dh";
    }

    @Override
    public ServiceScheduler create(final SchedulerContext context) {
        return new State();
    }

    /** {@code ip_vs_dh_hashkey}. */
    static int bucket(final int addressFold) {
        return Hashing.hash32(addressFold, TAB_BITS);
    }

    /** {@code ip_vs_dh_reassign}: bucket i holds destination i mod n. */
    static RealServer[] fill(final List<? extends RealServer> destinations) {
        final RealServer[] table = new RealServer[TAB_SIZE];
        final int n = destinations.size();
        for (int i = 0; n > 0 && i < TAB_SIZE; i++) {
            table[i] = destinations.get(i % n);
        }
        return table;
    }

    private static final class State implements ServiceScheduler {
        private volatile RealServer[] table = new RealServer[TAB_SIZE];

        @Override
        public void update(final List<? extends RealServer> destinations) {
            table = fill(destinations);
        }

        @Override
        public RealServer schedule(final Flow flow) {
            final RealServer dest = table[bucket(flow.destinationAddressFold())];
            return dest != null && Hashing.available(dest) ? dest : null;
        }
    }
}
