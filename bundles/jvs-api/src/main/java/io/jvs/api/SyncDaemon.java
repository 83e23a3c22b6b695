package io.jvs.api;

import java.util.Objects;

/**
 * A connection-synchronisation daemon ({@code --start-daemon}).
 *
 * @param state          master or backup
 * @param mcastInterface interface the multicast goes out of or is received on
 * @param syncId         0..255; 0 accepts every sync id
 * @param maxLength      sync message size limit, 0 for the default
 * @param group          multicast group, null for the default 224.0.0.81
 * @param port           UDP port, 0 for the default 8848
 * @param ttl            multicast TTL, 0 for the default 1
 */
public record SyncDaemon(State state, String mcastInterface, int syncId, int maxLength, java.net.InetAddress group,
                         int port, int ttl) {
    /** The role of a sync daemon. */
    public enum State {
        MASTER, BACKUP;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public SyncDaemon {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(mcastInterface, "mcastInterface");
    }
}
