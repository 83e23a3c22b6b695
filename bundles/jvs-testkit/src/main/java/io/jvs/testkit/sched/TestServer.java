package io.jvs.testkit.sched;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicInteger;

import io.jvs.api.sched.RealServer;

/** A realserver for tests: settable weight, flag and counters. */
public final class TestServer implements RealServer {
    public final String name;
    private final InetAddress address;
    private final int port;
    public volatile int weight;
    public volatile boolean overloaded;
    public final AtomicInteger active = new AtomicInteger();
    public volatile int inactive;

    public TestServer(final String name, final String ipv4, final int port, final int weight) {
        this.name = name;
        try {
            this.address = InetAddress.getByName(ipv4);
        } catch (final UnknownHostException e) {
            throw new IllegalArgumentException(ipv4, e);
        }
        this.port = port;
        this.weight = weight;
    }

    public TestServer(final String name, final int weight) {
        this(name, "10.0.0." + (1 + (name.hashCode() & 0x7F)), 80, weight);
    }

    public TestServer conns(final int activeConns, final int inactiveConns) {
        active.set(activeConns);
        inactive = inactiveConns;
        return this;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public boolean isOverloaded() {
        return overloaded;
    }

    @Override
    public int activeConns() {
        return active.get();
    }

    @Override
    public int inactiveConns() {
        return inactive;
    }

    @Override
    public InetAddress address() {
        return address;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public int addressFold() {
        final byte[] b = address.getAddress();
        int fold = 0;
        for (int i = 0; i < b.length; i += 4) {
            fold ^= ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
        }
        return fold;
    }

    @Override
    public String toString() {
        return name;
    }
}
