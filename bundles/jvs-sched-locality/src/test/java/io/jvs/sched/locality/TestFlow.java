package io.jvs.sched.locality;

import io.jvs.api.sched.Flow;

/** A mutable IPv4 (or folded IPv6) flow for tests. */
final class TestFlow implements Flow {
    boolean ipv6;
    int source;
    int sourcePort;
    int destination;
    long destinationHigh;
    int destinationPort = 80;
    int protocol = 6;

    static int ipv4(final String dotted) {
        final String[] parts = dotted.split("\\.");
        return (Integer.parseInt(parts[0]) << 24) | (Integer.parseInt(parts[1]) << 16)
            | (Integer.parseInt(parts[2]) << 8) | Integer.parseInt(parts[3]);
    }

    TestFlow from(final String dotted, final int port) {
        source = ipv4(dotted);
        sourcePort = port;
        return this;
    }

    TestFlow to(final String dotted) {
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
