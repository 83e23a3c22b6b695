package io.jvs.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LVS-DR end to end, the seeds' one-NIC director (004): director, client and realservers on one segment; the
 * realservers hold the VIP on lo with arp_ignore/arp_announce; the appliance answers ARP for the VIP and only
 * rewrites MACs, so replies go straight from the realservers to the client. Real sshd and nginx.
 */
class DrLabTest {
    private static final String VIP = "10.77.3.100";
    private static NetnsLab lab;

    @BeforeAll
    static void up() throws Exception {
        assumeTrue(NetnsLab.isRoot(), "the netns lab needs root");
        lab = new NetnsLab("dr", "eth0");
        // The seeds' director script, in ipvsadm's words.
        lab.jvsadm("-A", "-t", VIP + ":ssh", "-s", "rr");
        lab.jvsadm("-A", "-t", VIP + ":80", "-s", "rr");
        for (int n = 1; n <= 3; n++) {
            lab.jvsadm("-a", "-t", VIP + ":ssh", "-r", "10.77.3.1" + n, "-g", "-w", "1");
            lab.jvsadm("-a", "-t", VIP + ":80", "-r", "10.77.3.1" + n, "-g", "-w", "1");
        }
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void sshLoginThroughTheVipLandsOnEachRealserver() throws Exception {
        final Set<String> hosts = new HashSet<>();
        final Pattern rip = Pattern.compile("inet (10\\.77\\.3\\.1[123])/");
        for (int i = 0; i < 3; i++) {
            final Procs.Result r = lab.labScript("ssh.sh", VIP, "ip -o -4 addr show dev eth0");
            assertEquals(0, r.exit(), r.toString());
            final Matcher m = rip.matcher(r.out());
            assertTrue(m.find(), r.toString());
            hosts.add(m.group(1));
        }
        assertEquals(Set.of("10.77.3.11", "10.77.3.12", "10.77.3.13"), hosts, "rr over three logins");
    }

    /**
     * The client counts, at its ingress, the VIP's HTTP replies by the MAC they come from: every one must come
     * from a realserver, none from the director, which sees and counts only the client's half.
     */
    @Test
    void httpRepliesGoStraightToTheClient() throws Exception {
        lab.jvsadm("-Z");
        final String director = lab.in(NetnsLab.DIRECTOR, "cat", "/sys/class/net/eth0/address").out().strip();
        final String table = "jvs_e2e_dr";
        final Path file = lab.state().resolve("dr.nft");
        Files.writeString(file, "table netdev " + table + " {\n counter via_director { }\n counter replies { }\n"
                + " chain in { type filter hook ingress device \"eth0\" priority 0; policy accept;\n"
                + "  ip saddr " + VIP + " tcp sport 80 counter name \"replies\"\n"
                + "  ether saddr " + director + " ip saddr " + VIP + " tcp sport 80 counter name \"via_director\"\n"
                + " }\n}\n");
        assertEquals(0, lab.in(NetnsLab.CLIENT, "nft", "-f", file.toString()).exit());
        final Set<String> served = new HashSet<>();
        final String counted;
        try {
            for (int i = 0; i < 6; i++) {
                final String body = lab.curl("http://" + VIP + "/");
                assertTrue(body.startsWith("hello from rs"), body);
                served.add(body);
            }
            counted = lab.in(NetnsLab.CLIENT, "nft", "list", "table", "netdev", table).out();
        } finally {
            lab.in(NetnsLab.CLIENT, "nft", "delete", "table", "netdev", table);
        }
        assertEquals(3, served.size(), served.toString());
        final Matcher replies = Pattern.compile("counter replies \\{\\s*packets (\\d+)").matcher(counted);
        final Matcher via = Pattern.compile("counter via_director \\{\\s*packets (\\d+)").matcher(counted);
        assertTrue(replies.find() && via.find(), counted);
        assertTrue(Long.parseLong(replies.group(1)) >= 6 * 3, "the client got the replies\n" + counted);
        assertEquals(0, Long.parseLong(via.group(1)), "no reply came from the director's MAC\n" + counted);
        final String stats = lab.jvsadm("-Ln", "--stats", "--exact");
        final Matcher s = Pattern.compile("TCP  " + Pattern.quote(VIP) + ":80\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)")
                .matcher(stats);
        assertTrue(s.find(), stats);
        assertEquals(6, Long.parseLong(s.group(1)), stats);
        assertTrue(Long.parseLong(s.group(2)) >= 6 * 4, "every client packet passed the director: " + stats);
        assertEquals(0, Long.parseLong(s.group(3)), "DR: no reply passes the director\n" + stats);
    }
}
