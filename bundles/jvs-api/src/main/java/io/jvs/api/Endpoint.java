package io.jvs.api;

import java.net.InetAddress;
import java.util.Objects;

/** An address and port: a realserver within a service. */
public record Endpoint(InetAddress address, int port) implements Comparable<Endpoint> {
    public Endpoint {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    @Override
    public int compareTo(final Endpoint o) {
        final int c = Addresses.compare(address, o.address);
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    @Override
    public String toString() {
        return Addresses.withPort(address, port);
    }
}
