package io.jvs.testkit.sched;

import io.jvs.api.sched.Flow;

/** A mutable IPv4 (or folded IPv6) flow for tests. */
public final class TestFlow implements Flow {
    public boolean ipv6;
    public int source;
    public int sourcePort;
    public int destination;
    public long destinationHigh;
    public int destinationPort = 80;
    public int protocol = 6;

    public static int ipv4(final String dotted) {
        final String[] parts = dotted.split("\\.");
        return (Integer.parseInt(parts[0]) << 24) | (Integer.parseInt(parts[1]) << 16)
            | (Integer.parseInt(parts[2]) << 8) | Integer.parseInt(parts[3]);
    }

    public TestFlow from(final String dotted, final int port) {
        source = ipv4(dotted);
        sourcePort = port;
        return this;
    }

    public TestFlow to(final String dotted) {
        destination = ipv4(dotted);
        return this;
    }

    @Override
    public boolean isIpv6() {
        return ipv6;
    }

    @Override
    public int sourceAddressFold() {
        return source;
    }

    @Override
    public int sourcePort() {
        return sourcePort;
    }

    @Override
    public int destinationAddressFold() {
        return destination;
    }

    @Override
    public long destinationAddressHigh() {
        return destinationHigh;
    }

    @Override
    public long destinationAddressLow() {
        return destination & 0xFFFF_FFFFL;
    }

    @Override
    public int destinationPort() {
        return destinationPort;
    }

    @Override
    public int protocol() {
        return protocol;
    }
}
