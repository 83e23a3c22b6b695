package io.jvs.api;

import java.util.Objects;

/**
 * The settings of one realserver of a service, as {@code ipvsadm -a|-e} gives them.
 *
 * @param endpoint   realserver address and port
 * @param method     forwarding method
 * @param weight     0..65535; 0 is quiescent
 * @param upperThreshold {@code -x}: 0 means no upper connection threshold
 * @param lowerThreshold {@code -y}: 0 means "3/4 of the upper threshold"
 * @param tunnelType encapsulation when {@code method} is TUNNEL
 * @param tunnelPort GUE destination port (0 when not GUE)
 * @param tunnelChecksum checksum mode of GUE/GRE tunnels
 */
public record DestinationConfig(Endpoint endpoint, ForwardingMethod method, int weight, int upperThreshold,
                                int lowerThreshold, TunnelType tunnelType, int tunnelPort,
                                TunnelChecksum tunnelChecksum) {
    public static final int MAX_WEIGHT = 65535;

    public DestinationConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(tunnelType, "tunnelType");
        Objects.requireNonNull(tunnelChecksum, "tunnelChecksum");
        if (weight < 0 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight out of range: " + weight);
        }
    }

    /** A destination with ipvsadm's defaults: weight 1, no thresholds, ipip tunnel settings. */
    public static DestinationConfig of(final Endpoint endpoint, final ForwardingMethod method, final int weight) {
        return new DestinationConfig(endpoint, method, weight, 0, 0, TunnelType.IPIP, 0, TunnelChecksum.NOCSUM);
    }
}
