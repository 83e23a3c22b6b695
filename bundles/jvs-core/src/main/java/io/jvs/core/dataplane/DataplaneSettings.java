package io.jvs.core.dataplane;

/**
 * How the packet path behaves; the sysctl-like switches carry IPVS's names and defaults.
 *
 * @param queues                  worker threads, one queue of every port each (PACKET_FANOUT when more than one)
 * @param connections             most connections and templates tracked at once
 * @param ringFrames              AF_PACKET ring slots per queue and direction
 * @param busyPollMicros          how long an idle worker spins before it sleeps in poll(2)
 * @param verifyChecksums         drop TCP/UDP/ICMP packets whose checksum is wrong (IPVS checks before NAT)
 * @param secureTcp               use the secure_tcp state table (sysctl secure_tcp)
 * @param sloppyTcp               create connections from any TCP segment, not only SYN (sysctl sloppy_tcp)
 * @param expireNodestConn        drop a connection at once when its realserver was deleted (expire_nodest_conn)
 * @param expireQuiescentTemplate a template pointing at a weight-0 realserver no longer pins (expire_quiescent_template)
 * @param guardKernel             install the nftables rules that keep the kernel off the core's traffic
 */
public record DataplaneSettings(int queues, int connections, int ringFrames, int busyPollMicros,
                                boolean verifyChecksums, boolean secureTcp, boolean sloppyTcp,
                                boolean expireNodestConn, boolean expireQuiescentTemplate, boolean guardKernel) {
    public static final DataplaneSettings DEFAULTS =
            new DataplaneSettings(1, 1 << 20, 4096, 50, true, false, false, false, false, true);

    public DataplaneSettings {
        if (queues < 1 || queues > 64) {
            throw new IllegalArgumentException("queues must be 1..64, not " + queues);
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be positive");
        }
    }

    public DataplaneSettings withQueues(final int n) {
        return new DataplaneSettings(n, connections, ringFrames, busyPollMicros, verifyChecksums, secureTcp, sloppyTcp,
                expireNodestConn, expireQuiescentTemplate, guardKernel);
    }

    public DataplaneSettings withConnections(final int n) {
        return new DataplaneSettings(queues, n, ringFrames, busyPollMicros, verifyChecksums, secureTcp, sloppyTcp,
                expireNodestConn, expireQuiescentTemplate, guardKernel);
    }

    public DataplaneSettings withGuardKernel(final boolean on) {
        return new DataplaneSettings(queues, connections, ringFrames, busyPollMicros, verifyChecksums, secureTcp,
                sloppyTcp, expireNodestConn, expireQuiescentTemplate, on);
    }
}
