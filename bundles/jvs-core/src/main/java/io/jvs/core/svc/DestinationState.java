package io.jvs.core.svc;

import io.jvs.api.DestinationConfig;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.sched.LoadBoard;
import io.jvs.api.sched.RealServer;
import io.jvs.core.stats.Counters;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live state of a realserver that survives edits of its settings: connection counts, the overload
 * flag, counters, and the settings currently in force. One instance per (service, endpoint) for as long as
 * the realserver stays in the service (or, deleted, in the table's {@link DestinationTrash} until added again), so it is
 * also the {@link RealServer} schedulers see and the owner a connection points to.
 *
 * <p>Every change of weight, overload flag or counts is also written to the service's {@link LoadBoard}, the
 * flat copy the list-walking schedulers scan. Writers validate after writing (the values they wrote are still
 * the current ones, and the board is still ours) and write again otherwise, so the last write to a slot always
 * reflects the latest state, whichever thread made it.
 */
public final class DestinationState implements RealServer {
    private static final VarHandle CONNS;
    private static final long ONE_ACTIVE = 1L << 32;

    static {
        try {
            CONNS = MethodHandles.lookup().findVarHandle(DestinationState.class, "conns", long.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Counters counters = new Counters();
    /** The counters of its service; a realserver revived into a re-created service adds to the new one's. */
    private volatile Counters serviceCounters;
    /** {@code activeconns << 32 | inactconns}: one atomic add moves a connection between the two. */
    private volatile long conns;
    private final AtomicInteger persistentConns = new AtomicInteger();
    /** Where this realserver's loads are published; null once it left its service. */
    private volatile Slot slot;
    private final int addressFold;
    private final int ipv4;
    private volatile DestinationConfig config;
    private volatile boolean overloaded;
    /** False once the realserver is deleted from its service ({@code IP_VS_DEST_F_AVAILABLE} cleared). */
    private volatile boolean available = true;

    public DestinationState(final DestinationConfig config, final Counters serviceCounters) {
        this.config = config;
        this.serviceCounters = serviceCounters;
        final byte[] a = config.endpoint().address().getAddress();
        int fold = 0;
        for (int i = 0; i < a.length; i += 4) {
            fold ^= ByteBuffer.wrap(a, i, 4).getInt();
        }
        this.addressFold = fold;
        this.ipv4 = a.length == 4 ? fold : 0;
    }

    /**
     * Follows an edit of the settings. As the kernel does on {@code ipvsadm -e}, the overload flag is
     * cleared when the upper threshold is removed or raised.
     */
    void edited(final DestinationConfig before, final DestinationConfig after) {
        config = after;
        if (after.upperThreshold() == 0 || after.upperThreshold() > before.upperThreshold()) {
            overloaded = false;
        }
        publish();
    }

    void deleted() {
        available = false;
        slot = null;
    }

    /**
     * Added to a service of its old key again while still in the trash: available again with the new settings, as
     * {@code __ip_vs_update_dest} does for a realserver taken from the trash. Its connections and their counts stay;
     * its counters and rates stay too if it comes back to the same service, and start from 0 if to a re-created one
     * ({@code ip_vs_zero_stats} when the service differs), whose counters it adds to from then on.
     */
    void revived(final DestinationConfig before, final DestinationConfig after, final Counters service) {
        if (service != serviceCounters) {
            counters.zero();
            serviceCounters = service;
        }
        edited(before, after);
        available = true;
    }

    /** From now on this realserver's loads are kept in slot {@code index} of {@code board}. */
    void attach(final LoadBoard board, final int index) {
        slot = new Slot(board, index);
        publish();
    }

    /** A new connection (not a template) is bound here: it starts inactive, and may set the overload flag. */
    public void bind() {
        final long now = (long) CONNS.getAndAdd(this, 1L) + 1L;
        final int upper = config.upperThreshold();
        if (upper != 0 && total(now) >= upper) {
            overloaded = true;
        }
        publish();
    }

    /** A connection went away; the overload flag clears as {@code ip_vs_unbind_dest} clears it. */
    public void unbind(final boolean active) {
        final long delta = active ? -ONE_ACTIVE : -1L;
        final int total = total((long) CONNS.getAndAdd(this, delta) + delta);
        final DestinationConfig c = config;
        if (c.lowerThreshold() != 0) {
            if (total < c.lowerThreshold()) {
                overloaded = false;
            }
        } else if (c.upperThreshold() != 0) {
            if (total * 4L < c.upperThreshold() * 3L) {
                overloaded = false;
            }
        } else {
            overloaded = false;
        }
        publish();
    }

    /** A connection moved between active (ESTABLISHED) and inactive. */
    public void activated(final boolean nowActive) {
        CONNS.getAndAdd(this, nowActive ? ONE_ACTIVE - 1L : 1L - ONE_ACTIVE);
        publish();
    }

    private static int total(final long conns) {
        return active(conns) + inactive(conns);
    }

    private static int inactive(final long conns) {
        return (int) conns;
    }

    /** Undoes the borrow a transiently negative inactive count took from the active half. */
    private static int active(final long conns) {
        return (int) ((conns - inactive(conns)) >>> 32);
    }

    /** Writes the current state to the board slot, again until what was written is still current. */
    private void publish() {
        for (;;) {
            final Slot s = slot;
            if (s == null) {
                return;
            }
            final long c = conns;
            final DestinationConfig cfg = config;
            final boolean over = overloaded;
            s.board.set(s.index, cfg.weight(), over, active(c), inactive(c));
            if (slot == s && conns == c && config == cfg && overloaded == over) {
                return;
            }
        }
    }

    public DestinationConfig config() {
        return config;
    }

    public ForwardingMethod method() {
        return config.method();
    }

    /** The realserver's IPv4 address in network order as packets carry it; 0 for IPv6. */
    public int ipv4() {
        return ipv4;
    }

    public boolean isAvailable() {
        return available;
    }

    public Counters counters() {
        return counters;
    }

    /** The counters of the service this realserver belongs to, which every packet through it adds to too. */
    public Counters serviceCounters() {
        return serviceCounters;
    }

    @Override
    public int inactiveConns() {
        return inactive(conns);
    }

    /** Persistence templates pointing here. */
    public int persistentConns() {
        return persistentConns.get();
    }

    /** A persistence template now points here, or no longer does. */
    public void templateBound(final boolean bound) {
        if (bound) {
            persistentConns.incrementAndGet();
        } else {
            persistentConns.decrementAndGet();
        }
    }

    @Override
    public boolean isOverloaded() {
        return overloaded;
    }

    public void overloaded(final boolean value) {
        overloaded = value;
        publish();
    }

    @Override
    public int weight() {
        return config.weight();
    }

    @Override
    public int activeConns() {
        return active(conns);
    }

    @Override
    public InetAddress address() {
        return config.endpoint().address();
    }

    @Override
    public int port() {
        return config.endpoint().port();
    }

    @Override
    public int addressFold() {
        return addressFold;
    }

    @Override
    public String toString() {
        return config.endpoint().toString();
    }

    private record Slot(LoadBoard board, int index) {
    }
}
