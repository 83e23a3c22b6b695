package io.jvs.admin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jvs.api.ConnectionEntry;
import io.jvs.api.DestinationConfig;
import io.jvs.api.DestinationInfo;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceInfo;
import io.jvs.api.ServiceKey;
import io.jvs.api.Stats;
import io.jvs.api.SyncDaemon;
import io.jvs.api.Timeouts;
import io.jvs.api.TunnelChecksum;
import io.jvs.api.TunnelType;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Every list mode, byte for byte, over a table with chosen counters. */
class ListingGoldenTest {
    private final StubTable table = new StubTable();
    private final TestNames names = new TestNames().host("lb.example", "192.168.10.1", true);
    private final Cli cli = new Cli(new Ipvsadm(table, names));

    ListingGoldenTest() {
        final Stats s1 = new Stats(1234, 56789, 0, 987654321, 0, 5, 100, 90, 123456789, 100000000);
        final Stats d11 = new Stats(1234, 56789, 0, 987654321, 0, 1, 2, 3, 4000, 123456789);
        final Stats d12 = new Stats(99999999, 100000000, 999999999, 1000000000, 99999999999L, 0, 0, 0, 0, 0);
        final Stats s3 = new Stats(99999999999L, 100000000000L, 99999999999999L, 100000000000000L, -1L,
                0, 0, 0, 0, 0);
        final ServiceKey k1 = ServiceKey.of(Protocol.TCP, Cli.ip("192.168.10.1"), 80);
        table.services.add(new ServiceInfo(new ServiceConfig(k1, "wlc", true, 360, -1, false, 0), s1, List.of(
                dest("192.168.10.12", 8080, ForwardingMethod.MASQ, 1, 500, 100, 0, 0, 0, d12),
                dest("192.168.10.11", 80, ForwardingMethod.ROUTE, 3, 0, 0, 12, 40, 7, d11))));
        final ServiceKey k2 = ServiceKey.of(Protocol.UDP, Cli.ip("192.168.10.1"), 53);
        table.services.add(new ServiceInfo(new ServiceConfig(k2, "sh", false, 0, -1, false, 0x18), Stats.ZERO,
                List.of()));
        final ServiceKey k3 = ServiceKey.of(Protocol.TCP, Cli.ip("2001:db8::1"), 443);
        table.services.add(new ServiceInfo(new ServiceConfig(k3, "rr", true, 300, 64, false, 0), s3,
                List.of(dest("2001:db8::10", 443, ForwardingMethod.ROUTE, 1, 0, 0, 0, 0, 0, Stats.ZERO))));
        final ServiceKey k4 = ServiceKey.fwmark(5, false);
        table.services.add(new ServiceInfo(new ServiceConfig(k4, "rr", true, 300, 0xffffff00, false, 0),
                Stats.ZERO, List.of(
                tunnel("10.0.0.5", 2, 1, 2, TunnelType.GUE, 6080, TunnelChecksum.CSUM),
                tunnel("10.0.0.6", 1, 0, 0, TunnelType.GRE, 0, TunnelChecksum.NOCSUM),
                tunnel("10.0.0.7", 1, 0, 0, TunnelType.IPIP, 0, TunnelChecksum.NOCSUM))));
        final ServiceKey k5 = ServiceKey.fwmark(6, true);
        table.services.add(new ServiceInfo(new ServiceConfig(k5, "wlc", false, 0, 128, false, 0), Stats.ZERO,
                List.of()));
        final ServiceKey k6 = ServiceKey.of(Protocol.UDP, Cli.ip("10.0.0.2"), 53);
        table.services.add(new ServiceInfo(new ServiceConfig(k6, "rr", false, 0, -1, true, 0), Stats.ZERO,
                List.of(dest("10.0.0.3", 53, ForwardingMethod.LOCAL, 1, 0, 0, 0, 0, 0, Stats.ZERO))));
    }

    private static DestinationInfo dest(final String addr, final int port, final ForwardingMethod m, final int weight,
                                        final int upper, final int lower, final long active, final long inactive,
                                        final long persistent, final Stats stats) {
        return new DestinationInfo(new DestinationConfig(new Endpoint(Cli.ip(addr), port), m, weight, upper, lower,
                TunnelType.IPIP, 0, TunnelChecksum.NOCSUM), active, inactive, persistent, stats);
    }

    private static DestinationInfo tunnel(final String addr, final int weight, final long active, final long inactive,
                                          final TunnelType type, final int port, final TunnelChecksum csum) {
        return new DestinationInfo(new DestinationConfig(new Endpoint(Cli.ip(addr), 0), ForwardingMethod.TUNNEL,
                weight, 0, 0, type, port, csum), active, inactive, 0, Stats.ZERO);
    }

    private void assertOutput(final String expected, final String... argv) {
        final Cli.Result r = cli.run(argv);
        assertEquals("", r.err());
        assertEquals(0, r.status());
        assertEquals(expected, r.out());
    }

    @Test
    void defaultNumericListing() {
        assertOutput(Golden.DEFAULT, "-Ln");
        assertOutput(Golden.DEFAULT, "-L", "-n", "--sort");
        assertOutput(Golden.DEFAULT, "--list", "--numeric");
    }

    @Test
    void statsRateAndExact() {
        assertOutput(Golden.STATS, "-Ln", "--stats");
        assertOutput(Golden.STATS_EXACT, "-Ln", "--stats", "--exact");
        assertOutput(Golden.STATS_EXACT, "-LnX", "--stats");
        assertOutput(Golden.RATE, "-l", "-n", "--rate");
    }

    @Test
    void thresholdsPersistentConnAndTunnelInfo() {
        assertOutput(Golden.THRESHOLDS, "-Ln", "--thresholds");
        assertOutput(Golden.PERSISTENT_CONN, "-Ln", "--persistent-conn");
        assertOutput(Golden.TUN_INFO, "-Ln", "--tun-info");
    }

    @Test
    void singleServiceHasNoVersionHeader() {
        assertOutput(Golden.SINGLE_V6, "-L", "-n", "-t", "[2001:db8::1]:443");
        final Cli.Result missing = cli.run("-L", "-n", "-t", "10.9.9.9:80");
        assertEquals("No such service\n", missing.err());
        assertEquals(1, missing.status());
        assertEquals("", missing.out());
    }

    @Test
    void nosortFollowsTheKernelsHashOrderAndListOrder() {
        assertOutput(Golden.NOSORT_SERVICES, "-Ln", "--nosort");
    }

    @Test
    void connectionsWithExpiryAsMinutesAndSeconds() {
        table.connections.add(conn(Protocol.TCP, "10.0.0.9", 51234, "192.168.10.1", 80, "192.168.10.11", 80,
                "ESTABLISHED", 898_400, false));
        table.connections.add(conn(Protocol.TCP, "10.0.0.9", 0, "192.168.10.1", 80, "192.168.10.11", 80,
                "NONE", 359_999, true));
        table.connections.add(conn(Protocol.UDP, "2001:db8::99", 5353, "2001:db8::1", 53, "2001:db8::10", 53,
                "UDP", 3_723_000, false));
        assertOutput(Golden.CONNECTIONS, "-Lnc");
        assertOutput(Golden.CONNECTIONS, "-L", "-c", "-n");
        assertOutput(Golden.CONNECTIONS_PC, "-Lnc", "--persistent-conn");
        // Without -n ports get their service names.
        assertEquals("TCP 14:58  ESTABLISHED 10.0.0.9:51234     lb.example:http    192.168.10.11:http\n",
                cli.run("-Lc").out().lines().skip(2).findFirst().orElseThrow() + "\n");
    }

    private static ConnectionEntry conn(final Protocol p, final String c, final int cp, final String v, final int vp,
                                        final String d, final int dp, final String state, final long expires,
                                        final boolean template) {
        return new ConnectionEntry(p, new Endpoint(Cli.ip(c), cp), new Endpoint(Cli.ip(v), vp),
                new Endpoint(Cli.ip(d), dp), state, expires, template);
    }

    @Test
    void timeoutsAndDaemons() {
        table.timeouts = new Timeouts(259200, 120, 300);
        assertOutput("Timeout (tcp tcpfin udp): 259200 120 300\n", "-L", "--timeout");
        assertOutput("", "-L", "--daemon");
        table.daemons.add(new SyncDaemon(SyncDaemon.State.BACKUP, "eth1", 7, 1400, Cli.ip("239.1.1.1"), 8848, 2));
        table.daemons.add(new SyncDaemon(SyncDaemon.State.MASTER, "eth0", 0, 0, null, 0, 0));
        assertOutput("master sync daemon (mcast=eth0, syncid=0)\n"
                + "backup sync daemon (mcast=eth1, syncid=7, maxlen=1400, group=239.1.1.1, port=8848, ttl=2)\n",
                "-L", "--daemon");
    }

    @Test
    void saveNumericAndWithNames() {
        final String numeric = """
                -A -t 192.168.10.1:80 -s wlc -p 360
                -a -t 192.168.10.1:80 -r 192.168.10.11:80 -g -w 3
                -a -t 192.168.10.1:80 -r 192.168.10.12:8080 -m -w 1
                -A -u 10.0.0.2:53 -s rr -o
                -a -u 10.0.0.2:53 -r 10.0.0.3:53 -g -w 1
                -A -u 192.168.10.1:53 -s sh -b sh-fallback,sh-port
                -A -t [2001:db8::1]:443 -s rr -p 300 -M 64
                -a -t [2001:db8::1]:443 -r [2001:db8::10]:443 -g -w 1
                -A -f 5 -s rr -p 300 -M 255.255.255.0
                -a -f 5 -r 10.0.0.5:0 -i -w 2 --tun-type gue --tun-port 6080 --tun-csum
                -a -f 5 -r 10.0.0.6:0 -i -w 1 --tun-type gre --tun-nocsum
                -a -f 5 -r 10.0.0.7:0 -i -w 1 --tun-type ipip
                -A -f 6 -6 -s wlc
                """;
        assertOutput(numeric, "-Sn");
        assertOutput(numeric, "--save", "--numeric");
        final String named = """
                -A -t lb.example:http -s wlc -p 360
                -a -t lb.example:http -r 192.168.10.11:http -g -w 3
                -a -t lb.example:http -r 192.168.10.12:8080 -m -w 1
                -A -u 10.0.0.2:domain -s rr -o
                -a -u 10.0.0.2:domain -r 10.0.0.3:domain -g -w 1
                -A -u lb.example:domain -s sh -b sh-fallback,sh-port
                -A -t [2001:db8::1]:https -s rr -p 300 -M 64
                -a -t [2001:db8::1]:https -r [2001:db8::10]:https -g -w 1
                -A -f 5 -s rr -p 300 -M 255.255.255.0
                -a -f 5 -r 10.0.0.5:0 -i -w 2 --tun-type gue --tun-port 6080 --tun-csum
                -a -f 5 -r 10.0.0.6:0 -i -w 1 --tun-type gre --tun-nocsum
                -a -f 5 -r 10.0.0.7:0 -i -w 1 --tun-type ipip
                -A -f 6 -6 -s wlc
                """;
        assertOutput(named, "-S");
    }

    @Test
    void namesWithoutNumericAndNoReverseLookupsWithIt() {
        final String listing = cli.run("-L").out();
        assertEquals("TCP  lb.example:http wlc persistent 360", listing.lines().skip(3).findFirst().orElseThrow());
        names.reverseLookups = 0;
        cli.run("-Ln");
        cli.run("-Sn");
        cli.run("-Lnc");
        assertEquals(0, names.reverseLookups);
    }

    @Test
    void largeNumberBoundaries() {
        final StringBuilder b = new StringBuilder();
        for (final long n : new long[] {99999999L, 100000000L, 999999999L, 1000000000L, 99999999999L,
            100000000000L, 99999999999999L, 100000000000000L}) {
            Columns.largeNum(b, n, false).append('|');
        }
        assertEquals(" 99999999|  100000K|  999999K|    1000M|   99999M|     100G|   99999G|     100T|", b.toString());
    }
}
