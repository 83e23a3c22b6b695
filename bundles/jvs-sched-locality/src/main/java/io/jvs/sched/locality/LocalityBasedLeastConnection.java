package io.jvs.sched.locality;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.SchedulerContext;
import io.jvs.api.sched.ServiceScheduler;
import io.jvs.sched.locality.Locality.Member;

/**
 * Locality-based least-connection ({@code ip_vs_lblc.c}), for cache clusters.
 *
 * <pre>
 *   if cache[dest_ip] is empty then
 *       n, cache[dest_ip] &lt;- weighted least-connection node
 *   else
 *       n &lt;- cache[dest_ip]
 *       if n is gone or quiescent, or (n.active &gt; n.weight and some node m has m.active * 2 &lt; m.weight) then
 *           n, cache[dest_ip] &lt;- weighted least-connection node
 *   return n
 * </pre>
 *
 * <p>The cache is keyed by the packet's full destination address, 1024 buckets at {@code hash_32(addr_fold, 10)};
 * every lookup stamps the entry's last use. The overload flag of a cached destination is not consulted, only the
 * half-load test above, as in the kernel. Entries are collected by {@link ServiceScheduler#expire}: every 30th run
 * of the 60 s timer drops entries idle for {@code expiration.millis} (the sysctl {@code lblc_expiration}, 24 h by
 * default); between those, only above 16384 entries, entries idle for 6 minutes go. Lookups take no lock; creating
 * or replacing an entry takes the cache lock, where the kernel takes {@code svc->sched_lock}.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=lblc")
public final class LocalityBasedLeastConnection implements Scheduler {
    /** Configuration: the sysctl {@code net.ipv4.vs.lblc_expiration}. */
    public @interface Config {
        long expiration_millis() default Locality.DEFAULT_EXPIRATION;
    }

    private volatile long expirationMillis = Locality.DEFAULT_EXPIRATION;

    public LocalityBasedLeastConnection() {
    }

    LocalityBasedLeastConnection(final long expirationMillis) {
        this.expirationMillis = expirationMillis;
    }

    @Activate
    @Modified
    void configure(final Config config) {
        expirationMillis = config.expiration_millis();
    }

    @Override
    public String name() {
        return "lblc";
    }

    @Override
    public ServiceScheduler create(final SchedulerContext context) {
        return new State(context);
    }

    private static final class Entry extends Locality.Entry {
        volatile Member dest;

        Entry(final Flow flow, final Member dest, final long now) {
            super(flow, now);
            this.dest = dest;
        }
    }

    private final class State implements ServiceScheduler {
        private final SchedulerContext context;
        private final Locality.Table cache;
        private volatile Member[] members = Locality.NONE;

        State(final SchedulerContext context) {
            this.context = context;
            this.cache = new Locality.Table(context.nowMillis());
        }

        @Override
        public synchronized void update(final List<? extends RealServer> destinations) {
            members = Locality.members(destinations, members);
        }

        @Override
        public RealServer schedule(final Flow flow) {
            final Member[] m = members;
            final long now = context.nowMillis();
            final Entry cached = (Entry) cache.get(flow);
            if (cached != null) {
                cached.lastUse = now;
                final Member dest = cached.dest;
                if (dest.available && dest.server.weight() > 0 && !Locality.overloaded(dest.server, m)) {
                    return dest.server;
                }
            }
            final Member least = Locality.leastLoaded(m);
            if (least == null) {
                return null;
            }
            synchronized (cache.lock) {
                final Entry entry = (Entry) cache.get(flow);
                if (entry == null) {
                    cache.add(new Entry(flow, least, now), flow);
                } else if (entry.dest != least) {
                    entry.dest = least;              // the kernel frees the entry and hashes a fresh one
                    entry.lastUse = now;
                }
            }
            return least.server;
        }

        @Override
        public void expire(final long nowMillis) {
            cache.expire(nowMillis, expirationMillis);
        }
    }
}
