package io.jvs.api.sched;

import java.net.InetAddress;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A destination as a scheduler sees it ({@code struct ip_vs_dest}). Implemented by the core; one instance per
 * destination for as long as it belongs to the service, so schedulers may key state by identity (mh keeps the last
 * non-zero weight, lblc and lblcr keep cache entries). The counters are live.
 */
@ProviderType
public interface RealServer {
    /** 0..65535; 0 means quiescent: existing connections stay, no new ones. */
    int weight();

    /** The {@code IP_VS_DEST_F_OVERLOAD} flag, set by the upper connection threshold. */
    boolean isOverloaded();

    int activeConns();

    int inactiveConns();

    InetAddress address();

    /** Host order, 0..65535. */
    int port();

    /** The address in host order; for IPv6 the XOR of its four 32-bit words (IPVS {@code addr_fold}). */
    int addressFold();
}
