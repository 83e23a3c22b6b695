package io.jvs.core.route;

/**
 * A network interface as the packet core needs it to send frames: the AF_PACKET socket binds to {@code index},
 * frames leave with {@code mac} as source and at most {@code mtu} bytes of IP. {@code up} means
 * administratively up with carrier ({@code IFF_UP} and {@code IFF_RUNNING}), the only state in which a frame
 * sent there reaches anything. {@code mac} is the 48-bit address, first octet most significant; 0 for links
 * without an Ethernet address.
 */
public record Link(int index, String name, long mac, int mtu, boolean up) {
    public Link {
        if (index <= 0) {
            throw new IllegalArgumentException("interface index " + index);
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("interface name missing");
        }
    }

    @Override
    public String toString() {
        return index + ": " + name + " " + Formats.mac(mac) + " mtu " + mtu + (up ? " up" : " down");
    }
}
