package io.jvs.api;

import java.util.Objects;

/**
 * The settings of one virtual service, as {@code ipvsadm -A|-E} gives them.
 *
 * @param key           what identifies the service
 * @param scheduler     scheduler name as ipvsadm names it ("wlc")
 * @param persistent    {@code -p}: clients stick to a realserver for {@code timeout} seconds
 * @param timeout       persistence timeout in seconds (meaningful when persistent)
 * @param netmask       persistence granularity: IPv4 mask bits (e.g. 0xffffff00), or IPv6 prefix length
 * @param onePacket     {@code -o}: one-packet scheduling (UDP only)
 * @param schedFlags    {@code -b}: scheduler flags, kernel bits SCHED1..3 = 0x08, 0x10, 0x20
 */
public record ServiceConfig(ServiceKey key, String scheduler, boolean persistent, int timeout, int netmask,
                            boolean onePacket, int schedFlags) {
    public static final String DEFAULT_SCHEDULER = "wlc";
    /** Full-host IPv4 persistence granularity, 255.255.255.255. */
    public static final int HOST_MASK_V4 = 0xffffffff;
    /** Full-host IPv6 persistence granularity, /128. */
    public static final int HOST_PREFIX_V6 = 128;

    public ServiceConfig {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    /** The default persistence granularity for the key's address family. */
    public static int hostMask(final ServiceKey key) {
        return key.isIpv6() ? HOST_PREFIX_V6 : HOST_MASK_V4;
    }

    public ServiceConfig withKey(final ServiceKey newKey) {
        return new ServiceConfig(newKey, scheduler, persistent, timeout, netmask, onePacket, schedFlags);
    }
}
