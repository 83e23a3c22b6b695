package io.jvs.core.svc;

import io.jvs.api.Endpoint;
import io.jvs.api.ServiceKey;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The deleted realservers of the whole table, kept as the kernel keeps them in its per-namespace {@code
 * dest_trash}: their connections still point to them, and adding the same address and port to a service of the
 * same key again revives the same realserver ({@code ip_vs_trash_get_dest}), so its connections flow again and
 * its counters and connection counts carry on. The key is the service's (protocol, address and port, or firewall
 * mark), not the service object: a realserver deleted with its service ({@code -D}, {@code -C}) is revived by a
 * service re-created under that key, so {@code ipvsadm -C} followed by {@code -R} keeps the open connections
 * (its counters start again from 0 in the new service, as the kernel zeroes them when the service differs).
 * One that no connection or persistence template has pointed to for {@link #PERIOD_MILLIS} is forgotten
 * ({@code IP_VS_DEST_TRASH_PERIOD}); adding it after that makes a new realserver.
 *
 * <p>Written by the control plane (under the table's write lock) and aged by the data plane's housekeeping, so
 * every method synchronises on the trash.
 */
final class DestinationTrash {
    static final long PERIOD_MILLIS = 120_000;
    /** {@code idleSince} of a realserver something still points to. */
    private static final long BUSY = Long.MIN_VALUE;

    /** Where a deleted realserver was: its service's key and its own address and port. */
    record Key(ServiceKey service, Endpoint endpoint) {
    }

    private static final class Entry {
        final DestinationState state;
        long idleSince = BUSY;

        Entry(final DestinationState state) {
            this.state = state;
        }
    }

    private final Map<Key, Entry> entries = new HashMap<>();
    /** Realservers ever put here: housekeeping flushes their connections when this moves (expire_nodest_conn). */
    private volatile long deletions;

    /** A realserver just deleted from the service of key {@code service}. */
    synchronized void put(final ServiceKey service, final DestinationState state) {
        entries.put(new Key(service, state.config().endpoint()), new Entry(state));
        deletions++;
    }

    /** How many realservers were ever deleted; moves with every {@link #put}. */
    long deletions() {
        return deletions;
    }

    /** The deleted realserver that adding {@code endpoint} to service {@code service} would revive, or null. */
    synchronized DestinationState find(final ServiceKey service, final Endpoint endpoint) {
        final Entry e = entries.get(new Key(service, endpoint));
        return e == null ? null : e.state;
    }

    /** Takes {@code state} out: it is revived. */
    synchronized void remove(final ServiceKey service, final DestinationState state) {
        final Key key = new Key(service, state.config().endpoint());
        final Entry e = entries.get(key);
        if (e != null && e.state == state) {
            entries.remove(key);
        }
    }

    /** Each deleted realserver that a connection or persistence template still points to, with its service's key. */
    synchronized void forEachInUse(final BiConsumer<ServiceKey, DestinationState> action) {
        for (final Map.Entry<Key, Entry> e : entries.entrySet()) {
            final DestinationState s = e.getValue().state;
            if (s.activeConns() + s.inactiveConns() + s.persistentConns() > 0) {
                action.accept(e.getKey().service(), s);
            }
        }
    }

    synchronized int size() {
        return entries.size();
    }

    /** Forgets the realservers nothing has pointed to for a period. */
    synchronized void expire(final long nowMillis) {
        for (final Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            final Entry e = it.next();
            final DestinationState s = e.state;
            if (s.activeConns() + s.inactiveConns() + s.persistentConns() > 0) {
                e.idleSince = BUSY;
            } else if (e.idleSince == BUSY) {
                e.idleSince = nowMillis;
            } else if (nowMillis - e.idleSince >= PERIOD_MILLIS) {
                it.remove();
            }
        }
    }
}
