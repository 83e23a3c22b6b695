package io.jvs.core.route;

/**
 * An IPv4 address configured on an interface ({@code ip addr}), a DIP of the director: the packet core answers
 * ARP for it, takes it as its own and uses it as the source of what it sends on that interface.
 * {@code address} is in network order as a big-endian read gives it (10.77.1.2 is {@code 0x0A4D0102}).
 */
public record InterfaceAddress(int ifIndex, int address, int prefixLength) {
    public InterfaceAddress {
        if (ifIndex <= 0) {
            throw new IllegalArgumentException("interface index " + ifIndex);
        }
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength);
        }
    }

    /** Whether {@code addr} is in this address's subnet (every address for /0, only itself for /32). */
    public boolean contains(final int addr) {
        final int mask = Formats.mask(prefixLength);
        return (addr & mask) == (address & mask);
    }

    @Override
    public String toString() {
        return Formats.ipv4(address) + "/" + prefixLength + " dev " + ifIndex;
    }
}
