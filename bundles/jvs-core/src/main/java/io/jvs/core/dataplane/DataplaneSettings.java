package io.jvs.core.dataplane;

/**
 * How the packet path behaves; the sysctl-like switches carry IPVS's names and defaults.
 *
 * @param queues                  worker threads, one queue of every port each (PACKET_FANOUT when more than one)
 * @param connections             most connections and templates tracked at once
 * @param ringFrames              AF_PACKET ring slots per queue and direction
 * @param fanoutCpu               spread frames over the workers by the CPU that received them (PACKET_FANOUT_CPU),
 *                                each worker pinned to its CPUs, rather than by flow hash: a frame is then served
 *                                where it landed, as RSS with one queue's IRQ per core does on a real NIC, and
 *                                waking its worker needs no other CPU
 * @param busyPollMicros          how long after its last frame a lightly loaded worker spins before it sleeps in
 *                                poll(2) (0: never spin)
 * @param busyPollMaxPps          receive rate (frames/s) from which a worker no longer spins but sleeps as soon as
 *                                its queues are empty: under load the gaps are short, and spinning through them
 *                                only takes CPU from the rest of the machine ({@link IdlePolicy}; 0: never spin)
 * @param napMicros               how long a busy worker naps when its queues run empty, to serve what lands meanwhile
 *                                in one batch (interrupt moderation, like {@code ethtool -C rx-usecs}; 0: never)
 * @param verifyChecksums         drop TCP/UDP/ICMP packets whose checksum is wrong (IPVS checks before NAT)
 * @param secureTcp               use the secure_tcp state table (sysctl secure_tcp)
 * @param sloppyTcp               create connections from any TCP segment, not only SYN (sysctl sloppy_tcp)
 * @param expireNodestConn        drop a connection at once when its realserver was deleted (expire_nodest_conn)
 * @param expireQuiescentTemplate a template pointing at a weight-0 realserver no longer pins (expire_quiescent_template)
 * @param connReuseMode           what a SYN that reuses a tracked connection's client port does (conn_reuse_mode, a
 *                                bitmap, 1 by default): 0 follows the old connection; bit 1 schedules it anew when
 *                                that is safe (the old one in TIME_WAIT or CLOSE, or its realserver quiescent with
 *                                expire_nodest_conn); bit 2 also in FIN_WAIT for DR and tunnel, whose director sees
 *                                only the client's half of the close
 * @param guardKernel             install the nftables rules that keep the kernel off the core's traffic
 */
public record DataplaneSettings(int queues, int connections, int ringFrames, boolean fanoutCpu, int busyPollMicros,
                                int busyPollMaxPps, int napMicros, boolean verifyChecksums, boolean secureTcp,
                                boolean sloppyTcp, boolean expireNodestConn, boolean expireQuiescentTemplate, int connReuseMode,
                                boolean guardKernel) {
    public static final DataplaneSettings DEFAULTS =
            new DataplaneSettings(1, 1 << 20, 4096, false, 50, 20_000, 50, true, false, false, false, false, 1, true);

    public DataplaneSettings {
        if (queues < 1 || queues > 64) {
            throw new IllegalArgumentException("queues must be 1..64, not " + queues);
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be positive");
        }
        if (busyPollMicros < 0 || busyPollMaxPps < 0 || napMicros < 0) {
            throw new IllegalArgumentException("busy_poll_us, busy_poll_max_pps and nap_us must not be negative");
        }
        if (connReuseMode < 0 || connReuseMode > 3) {
            throw new IllegalArgumentException("conn_reuse_mode must be 0..3, not " + connReuseMode);
        }
        if (napMicros > 10_000) {
            throw new IllegalArgumentException("nap_us must be at most 10000 (10 ms), not " + napMicros);
        }
    }

    public DataplaneSettings withQueues(final int n) {
        return new DataplaneSettings(n, connections, ringFrames, fanoutCpu, busyPollMicros, busyPollMaxPps,
                napMicros, verifyChecksums, secureTcp, sloppyTcp, expireNodestConn, expireQuiescentTemplate,
                connReuseMode, guardKernel);
    }

    public DataplaneSettings withConnections(final int n) {
        return new DataplaneSettings(queues, n, ringFrames, fanoutCpu, busyPollMicros, busyPollMaxPps,
                napMicros, verifyChecksums, secureTcp, sloppyTcp, expireNodestConn, expireQuiescentTemplate,
                connReuseMode, guardKernel);
    }

    public DataplaneSettings withFanoutCpu(final boolean on) {
        return new DataplaneSettings(queues, connections, ringFrames, on, busyPollMicros, busyPollMaxPps,
                napMicros, verifyChecksums, secureTcp, sloppyTcp, expireNodestConn, expireQuiescentTemplate,
                connReuseMode, guardKernel);
    }

    public DataplaneSettings withSecureTcp(final boolean on) {
        return new DataplaneSettings(queues, connections, ringFrames, fanoutCpu, busyPollMicros, busyPollMaxPps,
                napMicros, verifyChecksums, on, sloppyTcp, expireNodestConn, expireQuiescentTemplate,
                connReuseMode, guardKernel);
    }

    public DataplaneSettings withExpireNodestConn(final boolean on) {
        return new DataplaneSettings(queues, connections, ringFrames, fanoutCpu, busyPollMicros, busyPollMaxPps,
                napMicros, verifyChecksums, secureTcp, sloppyTcp, on, expireQuiescentTemplate,
                connReuseMode, guardKernel);
    }

    public DataplaneSettings withConnReuseMode(final int mode) {
        return new DataplaneSettings(queues, connections, ringFrames, fanoutCpu, busyPollMicros, busyPollMaxPps,
                napMicros, verifyChecksums, secureTcp, sloppyTcp, expireNodestConn, expireQuiescentTemplate, mode,
                guardKernel);
    }

    public DataplaneSettings withGuardKernel(final boolean on) {
        return new DataplaneSettings(queues, connections, ringFrames, fanoutCpu, busyPollMicros, busyPollMaxPps,
                napMicros, verifyChecksums, secureTcp, sloppyTcp, expireNodestConn, expireQuiescentTemplate,
                connReuseMode, on);
    }
}
