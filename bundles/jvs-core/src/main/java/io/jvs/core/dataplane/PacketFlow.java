package io.jvs.core.dataplane;

import io.jvs.api.sched.Flow;

/** The first packet of a new IPv4 connection as a scheduler sees it; one per worker, refilled per packet. */
final class PacketFlow implements Flow {
    int protocol;
    int saddr;
    int sport;
    int daddr;
    int dport;

    void set(final int protocol, final int saddr, final int sport, final int daddr, final int dport) {
        this.protocol = protocol;
        this.saddr = saddr;
        this.sport = sport;
        this.daddr = daddr;
        this.dport = dport;
    }

    @Override
    public boolean isIpv6() {
        return false;
    }

    @Override
    public int sourceAddressFold() {
        return saddr;
    }

    @Override
    public int sourcePort() {
        return sport;
    }

    @Override
    public int destinationAddressFold() {
        return daddr;
    }

    @Override
    public long destinationAddressHigh() {
        return 0;
    }

    @Override
    public long destinationAddressLow() {
        return daddr & 0xFFFFFFFFL;
    }

    @Override
    public int destinationPort() {
        return dport;
    }

    @Override
    public int protocol() {
        return protocol;
    }
}
