package io.jvs.api.sched;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The first packet of a new connection as a scheduler sees it. Implemented by the core, usually as a flyweight over
 * the packet. For reply-direction ("inverse") scheduling the core presents source and destination swapped.
 */
@ProviderType
public interface Flow {
    boolean isIpv6();

    /** Source address in host order; IPv6 folded as the XOR of its four 32-bit words. */
    int sourceAddressFold();

    /** Host order, 0..65535; 0 when the protocol has no ports. */
    int sourcePort();

    /** Destination address in host order; IPv6 folded as the XOR of its four 32-bit words. */
    int destinationAddressFold();

    /** The first 64 bits of the IPv6 destination address, big-endian; 0 for IPv4. */
    long destinationAddressHigh();

    /** The last 64 bits of the IPv6 destination address, big-endian; for IPv4 the address as an unsigned int. */
    long destinationAddressLow();

    /** Host order, 0..65535; 0 when the protocol has no ports. */
    int destinationPort();

    /** IP protocol number: 6 TCP, 17 UDP, 132 SCTP, ... */
    int protocol();
}
