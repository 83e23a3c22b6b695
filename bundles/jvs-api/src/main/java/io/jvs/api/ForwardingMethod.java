package io.jvs.api;

/** How packets reach a realserver: the IPVS forwarding methods, with ipvsadm's listing names. */
public enum ForwardingMethod {
    /** NAT, {@code -m}: destination rewritten on the way in, source on the way out. */
    MASQ("Masq", "-m"),
    /** The realserver is this node. Listed "Local", saved as {@code -g} (as ipvsadm does). */
    LOCAL("Local", "-g"),
    /** IP tunnelling, {@code -i}: encapsulated to the realserver, replies go direct. */
    TUNNEL("Tunnel", "-i"),
    /** Direct routing (gatewaying), {@code -g}: only the MAC changes. The default. */
    ROUTE("Route", "-g");

    private final String label;
    private final String option;

    ForwardingMethod(final String label, final String option) {
        this.label = label;
        this.option = option;
    }

    /** The word in the Forward column of {@code ipvsadm -L}. */
    public String label() {
        return label;
    }

    /** The option {@code ipvsadm -S} writes. */
    public String option() {
        return option;
    }
}
