package io.jvs.core.svc;

import io.jvs.api.DestinationConfig;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.sched.RealServer;
import io.jvs.core.stats.Counters;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live state of a realserver that survives edits of its settings: connection counts, the overload
 * flag, counters, and the settings currently in force. One instance per (service, endpoint) for as long as
 * the realserver stays in the service, so it is also the {@link RealServer} schedulers see and the owner a
 * connection points to.
 */
public final class DestinationState implements RealServer {
    private final Counters counters = new Counters();
    private final Counters serviceCounters;
    private final AtomicInteger activeConns = new AtomicInteger();
    private final AtomicInteger inactiveConns = new AtomicInteger();
    private final AtomicInteger persistentConns = new AtomicInteger();
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
    }

    void deleted() {
        available = false;
    }

    /** A new connection (not a template) is bound here: it starts inactive, and may set the overload flag. */
    public void bind() {
        final int total = inactiveConns.incrementAndGet() + activeConns.get();
        final int upper = config.upperThreshold();
        if (upper != 0 && total >= upper) {
            overloaded = true;
        }
    }

    /** A connection went away; the overload flag clears as {@code ip_vs_unbind_dest} clears it. */
    public void unbind(final boolean active) {
        final int total = (active ? activeConns.decrementAndGet() : inactiveConns.decrementAndGet())
                + (active ? inactiveConns.get() : activeConns.get());
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
    }

    /** A connection moved between active (ESTABLISHED) and inactive. */
    public void activated(final boolean nowActive) {
        if (nowActive) {
            inactiveConns.decrementAndGet();
            activeConns.incrementAndGet();
        } else {
            activeConns.decrementAndGet();
            inactiveConns.incrementAndGet();
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
        return inactiveConns.get();
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
    }

    @Override
    public int weight() {
        return config.weight();
    }

    @Override
    public int activeConns() {
        return activeConns.get();
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
}
