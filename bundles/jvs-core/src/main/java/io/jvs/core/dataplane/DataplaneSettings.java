package io.jvs.core.dataplane;

/**
 * How the packet path behaves; the sysctl-like switches carry IPVS's names and defaults.
 *
 * @param queues                  worker threads, one queue of every port each (PACKET_FANOUT when more than one)
 * @param connections             most connections and templates tracked at once
 * @param ringFrames              AF_PACKET ring slots per queue and direction
 * @param busyPollMicros          how long after its last frame a lightly loaded worker spins before it sleeps in
 *                                poll(2) (0: never spin)
 * @param busyPollMaxPps          receive rate (frames/s) from which a worker no longer spins but sleeps as soon as
 *                                its queues are empty: under load the gaps are short, and spinning through them
 *                                only takes CPU from the rest of the machine ({@link IdlePolicy}; 0: never spin)
 * @param verifyChecksums         drop TCP/UDP/ICMP packets whose checksum is wrong (IPVS checks before NAT)
 * @param secureTcp               use the secure_tcp state table (sysctl secure_tcp)
 * @param sloppyTcp               create connections from any TCP segment, not only SYN (sysctl sloppy_tcp)
 * @param expireNodestConn        drop a connection at once when its realserver was deleted (expire_nodest_conn)
 * @param expireQuiescentTemplate a template pointing at a weight-0 realserver no longer pins (expire_quiescent_template)
 * @param guardKernel             install the nftables rules that keep the kernel off the core's traffic
 */
public record DataplaneSettings(int queues, int connections, int ringFrames, int busyPollMicros,
                                int busyPollMaxPps, boolean verifyChecksums, boolean secureTcp, boolean sloppyTcp,
                                boolean expireNodestConn, boolean expireQuiescentTemplate, boolean guardKernel) {
    public static final DataplaneSettings DEFAULTS =
            new DataplaneSettings(1, 1 << 20, 4096, 50, 20_000, true, false, false, false, false, true);

    public DataplaneSettings {
        if (queues < 1 || queues > 64) {
            throw new IllegalArgumentException("queues must be 1..64, not " + queues);
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be positive");
        }
        if (busyPollMicros < 0 || busyPollMaxPps < 0) {
            throw new IllegalArgumentException("busy_poll_us and busy_poll_max_pps must not be negative");
        }
    }

    public DataplaneSettings withQueues(final int n) {
        return new DataplaneSettings(n, connections, ringFrames, busyPollMicros, busyPollMaxPps, verifyChecksums,
                secureTcp, sloppyTcp, expireNodestConn, expireQuiescentTemplate, guardKernel);
    }

    public DataplaneSettings withConnections(final int n) {
        return new DataplaneSettings(queues, n, ringFrames, busyPollMicros, busyPollMaxPps, verifyChecksums,
                secureTcp, sloppyTcp, expireNodestConn, expireQuiescentTemplate, guardKernel);
    }

    public DataplaneSettings withGuardKernel(final boolean on) {
        return new DataplaneSettings(queues, connections, ringFrames, busyPollMicros, busyPollMaxPps,
                verifyChecksums, secureTcp, sloppyTcp, expireNodestConn, expireQuiescentTemplate, on);
    }
}
