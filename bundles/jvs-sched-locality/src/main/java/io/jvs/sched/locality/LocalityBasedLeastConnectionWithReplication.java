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
 * Locality-based least-connection with replication ({@code ip_vs_lblcr.c}).
 *
 * <pre>
 *   if set[dest_ip] is empty then
 *       n, set[dest_ip] &lt;- weighted least-connection node
 *   else
 *       n &lt;- weighted least-connection (alive) node in set[dest_ip]
 *       if |set| &gt; 1 and now - set.lastMod &gt; T then remove the weighted most-loaded node from the set
 *       if n is null or (n.active &gt; n.weight and some node m has m.active * 2 &lt; m.weight) then
 *           n &lt;- weighted least-connection node; add n to set[dest_ip]
 *   when the set changes, set.lastMod &lt;- now
 *   return n
 * </pre>
 *
 * <p>The least-loaded member skips overloaded, quiescent and departed destinations; the most-loaded one considers
 * every member with a positive weight. New members go to the head of the set. T is {@code expiration.millis} (the
 * sysctl {@code lblcr_expiration}, 24 h by default), which also drives the cache collection exactly as lblc's: every
 * 30th run of the 60 s timer drops entries idle for T, other runs act only above 16384 entries. A set is an
 * immutable array replaced under the cache lock (the kernel's {@code svc->sched_lock}); lookups take no lock.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=lblcr")
public final class LocalityBasedLeastConnectionWithReplication implements Scheduler {
    /** Configuration: the sysctl {@code net.ipv4.vs.lblcr_expiration}. */
    public @interface Config {
        long expiration_millis() default Locality.DEFAULT_EXPIRATION;
    }

    private volatile long expirationMillis = Locality.DEFAULT_EXPIRATION;

    public LocalityBasedLeastConnectionWithReplication() {
    }

    LocalityBasedLeastConnectionWithReplication(final long expirationMillis) {
        this.expirationMillis = expirationMillis;
    }

    @Activate
    @Modified
    void configure(final Config config) {
        expirationMillis = config.expiration_millis();
    }

    @Override
    public String name() {
        return "lblcr";
    }

    @Override
    public ServiceScheduler create(final SchedulerContext context) {
        return new State(context);
    }

    private static final class Entry extends Locality.Entry {
        volatile Member[] set;
        volatile long lastMod;

        Entry(final Flow flow, final Member dest, final long now) {
            super(flow, now);
            this.set = new Member[] {dest};
            this.lastMod = now;
        }

        /** {@code ip_vs_dest_set_insert} with check: at the head, unless already a member. Caller holds the lock. */
        void insert(final Member dest, final long now) {
            final Member[] old = set;
            for (final Member member : old) {
                if (member == dest) {
                    return;
                }
            }
            final Member[] grown = new Member[old.length + 1];
            grown[0] = dest;
            System.arraycopy(old, 0, grown, 1, old.length);
            set = grown;
            lastMod = now;
        }

        /** {@code ip_vs_dest_set_erase}. Caller holds the lock. */
        void erase(final Member dest, final long now) {
            final Member[] old = set;
            for (int i = 0; i < old.length; i++) {
                if (old[i] == dest) {
                    final Member[] shrunk = new Member[old.length - 1];
                    System.arraycopy(old, 0, shrunk, 0, i);
                    System.arraycopy(old, i + 1, shrunk, i, old.length - i - 1);
                    set = shrunk;
                    lastMod = now;
                    return;
                }
            }
        }
    }

    /** {@code ip_vs_dest_set_min}. */
    static Member setMin(final Member[] set) {
        int i = 0;
        while (i < set.length && (set[i].server.isOverloaded() || set[i].server.weight() <= 0 || !set[i].available)) {
            i++;
        }
        if (i == set.length) {
            return null;
        }
        Member least = set[i];
        long leastOverhead = Locality.overhead(least.server);
        for (i++; i < set.length; i++) {
            final RealServer dest = set[i].server;
            if (dest.isOverloaded()) {
                continue;
            }
            final long overhead = Locality.overhead(dest);
            if (leastOverhead * dest.weight() > overhead * least.server.weight() && set[i].available) {
                least = set[i];
                leastOverhead = overhead;
            }
        }
        return least;
    }

    /** {@code ip_vs_dest_set_max}. */
    static Member setMax(final Member[] set) {
        int i = 0;
        while (i < set.length && set[i].server.weight() <= 0) {
            i++;
        }
        if (i == set.length) {
            return null;
        }
        Member most = set[i];
        long mostOverhead = Locality.overhead(most.server);
        for (i++; i < set.length; i++) {
            final RealServer dest = set[i].server;
            final long overhead = Locality.overhead(dest);
            if (mostOverhead * dest.weight() < overhead * most.server.weight() && dest.weight() > 0) {
                most = set[i];
                mostOverhead = overhead;
            }
        }
        return most;
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
                final Member least = setMin(cached.set);
                if (cached.set.length > 1 && now - (cached.lastMod + expirationMillis) > 0) {
                    synchronized (cache.lock) {
                        if (cached.set.length > 1) {
                            final Member most = setMax(cached.set);
                            if (most != null) {
                                cached.erase(most, now);
                            }
                        }
                    }
                }
                if (least != null && !Locality.overloaded(least.server, m)) {
                    return least.server;
                }
                final Member chosen = Locality.leastLoaded(m);
                if (chosen == null) {
                    return null;
                }
                synchronized (cache.lock) {
                    cached.insert(chosen, now);
                }
                return chosen.server;
            }
            final Member chosen = Locality.leastLoaded(m);
            if (chosen == null) {
                return null;
            }
            synchronized (cache.lock) {
                final Entry entry = (Entry) cache.get(flow);
                if (entry == null) {
                    cache.add(new Entry(flow, chosen, now), flow);
                } else {
                    entry.insert(chosen, now);
                }
            }
            return chosen.server;
        }

        @Override
        public void expire(final long nowMillis) {
            cache.expire(nowMillis, expirationMillis);
        }
    }
}
