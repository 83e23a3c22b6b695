package io.jvs.core.svc;

import io.jvs.api.DestinationConfig;
import io.jvs.core.stats.Counters;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live state of a realserver that survives edits of its settings: connection counts, the overload
 * flag, counters. One instance per (service, endpoint) for as long as the realserver stays in the service.
 */
public final class DestinationState {
    private final Counters counters = new Counters();
    private final AtomicInteger activeConns = new AtomicInteger();
    private final AtomicInteger inactiveConns = new AtomicInteger();
    private final AtomicInteger persistentConns = new AtomicInteger();
    private volatile boolean overloaded;

    /**
     * Follows an edit of the settings. As the kernel does on {@code ipvsadm -e}, the overload flag is
     * cleared when the upper threshold is removed or raised.
     */
    void edited(final DestinationConfig before, final DestinationConfig after) {
        if (after.upperThreshold() == 0 || after.upperThreshold() > before.upperThreshold()) {
            overloaded = false;
        }
    }

    public Counters counters() {
        return counters;
    }

    public AtomicInteger activeConns() {
        return activeConns;
    }

    public AtomicInteger inactiveConns() {
        return inactiveConns;
    }

    public AtomicInteger persistentConns() {
        return persistentConns;
    }

    public boolean isOverloaded() {
        return overloaded;
    }

    public void overloaded(final boolean value) {
        overloaded = value;
    }
}
