package io.jvs.core.wire;

/** IANA protocol numbers seen in the IPv4 protocol field and the IPv6 next-header chain. */
public final class IpProtocol {
    public static final int HOPOPTS = 0;
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ROUTING = 43;
    public static final int FRAGMENT = 44;
    public static final int ICMPV6 = 58;
    public static final int NONE = 59;
    public static final int DSTOPTS = 60;

    private IpProtocol() {
    }
}
