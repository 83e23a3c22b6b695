package io.jvs.api;

/** Encapsulation of the tunnel forwarding method ({@code --tun-type}); kernel numbering IPIP 0, GUE 1, GRE 2. */
public enum TunnelType {
    IPIP, GUE, GRE;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
