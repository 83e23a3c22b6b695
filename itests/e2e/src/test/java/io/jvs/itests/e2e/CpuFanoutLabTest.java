package io.jvs.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two workers fanned out by receiving CPU ({@code jvs.dataplane.fanout=cpu}) on the NAT lab: each worker is pinned
 * to the CPU whose frames it serves, and clients on either CPU are served. On veth the receiving CPU is the sender's,
 * so a client pinned to CPU 1 reaches worker 1, while the realserver's reply may land on the other worker: both
 * halves of one NAT connection then meet in the shared connection table.
 */
class CpuFanoutLabTest {
    private static final String VIP = "10.77.1.100";
    private static NetnsLab lab;

    @BeforeAll
    static void up() throws Exception {
        assumeTrue(NetnsLab.isRoot(), "the netns lab needs root");
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "fan-out by CPU needs two CPUs");
        lab = new NetnsLab("nat", "ext0,int0", "-Djvs.dataplane.queues=2 -Djvs.dataplane.fanout=cpu");
        lab.jvsadm("-A", "-t", VIP + ":80", "-s", "rr");
        for (int n = 1; n <= 3; n++) {
            lab.jvsadm("-a", "-t", VIP + ":80", "-r", "10.77.2.1" + n + ":80", "-m");
        }
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void eachWorkerIsPinnedToTheCpuItServes() throws Exception {
        final long pid = Long.parseLong(Files.readString(lab.state().resolve("jvs.pid")).strip());
        final Map<String, String> allowed = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (final Path task : (Iterable<Path>) tasks::iterator) {
                final String name = Files.readString(task.resolve("comm")).strip();
                if (name.startsWith("jvs-worker-")) {
                    final String status = Files.readString(task.resolve("status"));
                    allowed.put(name, status.replaceAll("(?s).*Cpus_allowed_list:\\s*(\\S+).*", "$1"));
                }
            }
        }
        final int cpus = Runtime.getRuntime().availableProcessors();
        final Map<String, String> expected = new TreeMap<>();
        for (int q = 0; q < 2; q++) {
            final StringBuilder list = new StringBuilder();
            for (int c = q; c < cpus; c += 2) {
                list.append(list.length() == 0 ? "" : ",").append(c);
            }
            expected.put("jvs-worker-" + q, list.toString());
        }
        assertEquals(expected, allowed, "worker q serves (and runs on) the CPUs c with c % 2 == q");
    }

    @Test
    void clientsOnEitherCpuAreServed() throws Exception {
        for (int cpu = 0; cpu < 2; cpu++) {
            for (int i = 0; i < 6; i++) {
                final Procs.Result r = lab.in(NetnsLab.CLIENT, "taskset", "-c", Integer.toString(cpu), "curl", "-s",
                        "-m", "5", "http://" + VIP + "/");
                assertEquals(0, r.exit(), "client on CPU " + cpu + ", request " + i + ": " + r);
                assertTrue(r.out().contains("hello from rs"), r.out());
            }
        }
        // Twelve connections, all counted once, whichever worker saw which half.
        final String stats = lab.jvsadm("-Ln", "--stats");
        assertTrue(stats.matches("(?s).*TCP\\s+" + VIP.replace(".", "\\.") + ":80\\s+12\\s.*"), stats);
    }
}
