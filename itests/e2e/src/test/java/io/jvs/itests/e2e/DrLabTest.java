package io.jvs.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    @Test
    void httpRepliesGoStraightToTheClient() throws Exception {
        lab.jvsadm("-Z");
        final Set<String> served = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            final String body = lab.curl("http://" + VIP + "/");
            assertTrue(body.startsWith("hello from rs"), body);
            served.add(body);
        }
        assertEquals(3, served.size(), served.toString());
        final String stats = lab.jvsadm("-Ln", "--stats", "--exact");
        final Matcher s = Pattern.compile("TCP  " + Pattern.quote(VIP) + ":80\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)")
                .matcher(stats);
        assertTrue(s.find(), stats);
        assertEquals(6, Long.parseLong(s.group(1)), stats);
        assertTrue(Long.parseLong(s.group(2)) >= 6 * 4, "every client packet passed the director: " + stats);
        assertEquals(0, Long.parseLong(s.group(3)), "DR: no reply passes the director\n" + stats);
    }
}
