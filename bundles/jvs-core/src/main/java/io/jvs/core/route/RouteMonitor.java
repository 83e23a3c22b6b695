package io.jvs.core.route;

import io.jvs.core.os.LibC;
import io.jvs.core.os.Wakeup;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the links, IPv4 addresses and main-table routes of one network namespace, so that what the operator
 * does with {@code ip addr} and {@code ip route} reaches the packet core. Notifications are only a trigger:
 * on any, the thread drains them all and makes one full dump, which cannot drift from the kernel the way
 * applying deltas can, and which is also the resynchronisation after lost notifications (ENOBUFS). The
 * listener sees each table that differs from the previous one, on the thread {@code jvs-route-monitor}.
 */
public final class RouteMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RouteMonitor.class);
    private static final int GROUPS = Rtnl.RTMGRP_LINK | Rtnl.RTMGRP_IPV4_IFADDR | Rtnl.RTMGRP_IPV4_ROUTE;
    /** Bounds one drain under a storm of changes; what is left triggers the next dump. */
    private static final int DRAIN_LIMIT = 1024;
    private static final long RETRY_NANOS = 1_000_000_000L;
    private static final long JOIN_MILLIS = 2000;

    private final Consumer<RouteTable> listener;
    private final NetlinkSocket events;
    private final RouteDumper dumper;
    private final Thread thread;
    /** Ends the thread's wait at close: it sleeps in poll(2) with no timeout, so an idle monitor never wakes. */
    private final Wakeup wakeup;
    private volatile RouteTable current;
    private volatile boolean running = true;

    /**
     * Opens the sockets in the calling thread's network namespace (enter one with {@code NetNamespace}, build
     * the monitor, step out: the sockets stay there), dumps, and hands the first table to {@code listener}
     * before returning. Throws {@link IllegalStateException} if netlink fails.
     */
    public RouteMonitor(final Consumer<RouteTable> listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        // Subscribed before the first dump: a change made while it runs is queued, hence followed.
        final NetlinkSocket subscribed = NetlinkSocket.open(GROUPS);
        RouteDumper opened = null;
        Wakeup made = null;
        try {
            opened = RouteDumper.open();
            made = new Wakeup();
            current = opened.dump();
            listener.accept(current);
        } catch (final RuntimeException e) {
            subscribed.close();
            if (opened != null) {
                opened.close();
            }
            if (made != null) {
                made.close();
            }
            throw e;
        }
        events = subscribed;
        dumper = opened;
        wakeup = made;
        thread = new Thread(this::follow, "jvs-route-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    /** One-shot table of the calling thread's network namespace. */
    public static RouteTable dump() {
        try (RouteDumper once = RouteDumper.open()) {
            return once.dump();
        }
    }

    /** The last table published; valid from construction. */
    public RouteTable current() {
        return current;
    }

    /** Messages dropped as malformed since construction. */
    public long malformedMessages() {
        return dumper.malformed();
    }

    /** Stops the thread, which closes the sockets as it ends; waits for it a bounded time. */
    @Override
    public void close() {
        running = false;
        if (Thread.currentThread() != thread) {
            wakeup.signal();
            LockSupport.unpark(thread);
            try {
                thread.join(JOIN_MILLIS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("route monitor still running {} ms after close", JOIN_MILLIS);
            }
        }
    }

    private void follow() {
        boolean stale = false;
        try {
            while (running) {
                try {
                    if (events.await(wakeup.fd(), -1)) {
                        stale |= drain();
                    }
                    if (stale) {
                        publish(dumper.dump());
                        stale = false;
                    }
                } catch (final RuntimeException e) {
                    LOG.warn("route monitor: {}; resynchronising in 1 s", e.getMessage());
                    stale = true;
                    LockSupport.parkNanos(RETRY_NANOS);
                }
            }
        } finally {
            events.close();
            dumper.close();
            wakeup.close();
        }
    }

    /** Empties the notification queue; true if anything was there, lost notifications included. */
    private boolean drain() {
        for (int i = 0; i < DRAIN_LIMIT; i++) {
            final int length = events.receive();
            if (length == -LibC.EAGAIN) {
                return i > 0;
            }
            if (length == -LibC.ENOBUFS) {
                LOG.debug("rtnetlink notifications overflowed the socket; a full dump resynchronises");
            } else if (length < 0 && length != -NetlinkSocket.EMSGSIZE) {
                throw new IllegalStateException("cannot receive rtnetlink notifications: errno " + -length);
            }
        }
        return true;
    }

    private void publish(final RouteTable table) {
        if (table.equals(current)) {
            return;
        }
        current = table;
        LOG.debug("route table changed: {} links, {} addresses, {} routes", table.links().size(),
                table.addresses().size(), table.routes().size());
        try {
            listener.accept(table);
        } catch (final RuntimeException e) {
            LOG.warn("route table listener failed", e);
        }
    }
}
