package io.jvs.core.svc;

import io.jvs.api.Endpoint;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The realservers deleted from one service, kept as the kernel keeps them in its {@code dest_trash}: their
 * connections still point to them, and adding the same address and port to the service again revives the same
 * realserver, so its connections flow again and its counters and connection counts carry on. One that no
 * connection or persistence template has pointed to for {@link #PERIOD_MILLIS} is forgotten
 * ({@code IP_VS_DEST_TRASH_PERIOD}); adding it after that makes a new realserver.
 *
 * <p>Written by the control plane (under the table's write lock) and aged by the data plane's housekeeping, so
 * every method synchronises on the trash.
 */
final class DestinationTrash {
    static final long PERIOD_MILLIS = 120_000;
    /** {@code idleSince} of a realserver something still points to. */
    private static final long BUSY = Long.MIN_VALUE;

    private static final class Entry {
        final DestinationState state;
        long idleSince = BUSY;

        Entry(final DestinationState state) {
            this.state = state;
        }
    }

    private final Map<Endpoint, Entry> entries = new HashMap<>();

    /** A realserver just deleted from the service. */
    synchronized void put(final DestinationState state) {
        entries.put(state.config().endpoint(), new Entry(state));
    }

    /** The deleted realserver at {@code endpoint} that an add would revive, or null; the trash is unchanged. */
    synchronized DestinationState find(final Endpoint endpoint) {
        final Entry e = entries.get(endpoint);
        return e == null ? null : e.state;
    }

    /** Takes {@code state} out: it is revived. */
    synchronized void remove(final Endpoint endpoint, final DestinationState state) {
        final Entry e = entries.get(endpoint);
        if (e != null && e.state == state) {
            entries.remove(endpoint);
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
