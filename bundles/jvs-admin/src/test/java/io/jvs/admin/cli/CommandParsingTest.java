package io.jvs.admin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.DestinationConfig;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceKey;
import io.jvs.api.SyncDaemon;
import io.jvs.api.TableCommand;
import io.jvs.api.Timeouts;
import io.jvs.api.TunnelChecksum;
import io.jvs.api.TunnelType;

import org.junit.jupiter.api.Test;

/** Every command and option reaches the table as the TableCommand ipvsadm's arguments mean. */
class CommandParsingTest {
    private final StubTable table = new StubTable();
    private final Cli cli = new Cli(new Ipvsadm(table, new TestNames().host("web", "10.1.1.1", false)));

    private static final ServiceKey VIP80 = ServiceKey.of(Protocol.TCP, Cli.ip("192.124.95.67"), 80);

    private TableCommand applied(final String... argv) {
        final Cli.Result r = cli.run(argv);
        assertEquals("", r.err(), "stderr");
        assertEquals(0, r.status(), "status");
        return table.last();
    }

    private static ServiceConfig service(final ServiceKey key, final String sched) {
        return new ServiceConfig(key, sched, false, 0, ServiceConfig.hostMask(key), false, 0);
    }

    @Test
    void addServiceTakesSchedulerAndDefaultsToWlc() {
        assertEquals(new TableCommand.AddService(service(VIP80, "rr")),
                applied("-A", "-t", "192.124.95.67:80", "-s", "rr"));
        assertEquals(new TableCommand.AddService(service(VIP80, "wlc")),
                applied("--add-service", "--tcp-service", "192.124.95.67:80"));
        assertEquals(new TableCommand.EditService(service(VIP80, "wlc")),
                applied("-E", "-t", "192.124.95.67:80", "-s", "wlc"));
        assertEquals(new TableCommand.DeleteService(VIP80), applied("-D", "-t", "192.124.95.67:80"));
        assertEquals(new TableCommand.DeleteService(VIP80), applied("--delete-service", "--tcp-service=192.124.95.67:80"));
    }

    @Test
    void persistentWithoutValueUsesTheManualsDefaultAndWithValueTakesIt() {
        final ServiceKey any = ServiceKey.of(Protocol.TCP, Cli.ip("10.0.0.1"), 0);
        assertEquals(new TableCommand.AddService(new ServiceConfig(any, "wlc", true, 300, -1, false, 0)),
                applied("-A", "-t", "10.0.0.1", "-p"));
        assertEquals(new TableCommand.AddService(new ServiceConfig(any, "rr", true, 300, -1, false, 0)),
                applied("-A", "-t", "10.0.0.1", "-p", "-s", "rr"));
        assertEquals(new TableCommand.AddService(new ServiceConfig(any, "rr", true, 600, 0xffffff00, false, 0)),
                applied("-A", "-t", "10.0.0.1", "-p", "600", "-M", "255.255.255.0", "-s", "rr"));
        assertEquals(new TableCommand.AddService(new ServiceConfig(any, "wlc", true, 60, -1, false, 0)),
                applied("-A", "-t", "10.0.0.1", "-p60"));
        assertEquals(new TableCommand.AddService(new ServiceConfig(any, "wlc", true, 70, -1, false, 0)),
                applied("-A", "-t", "10.0.0.1", "--persistent=70"));
    }

    @Test
    void ipv6ServiceTakesPrefixNetmask() {
        final ServiceKey key = ServiceKey.of(Protocol.TCP, Cli.ip("2001:db8::1"), 443);
        assertEquals(new TableCommand.AddService(new ServiceConfig(key, "sh", true, 300, 64, false, 0x18)),
                applied("-A", "-t", "[2001:db8::1]:443", "-s", "sh", "-p", "-M", "64", "-b", "sh-fallback,sh-port"));
        assertEquals(new TableCommand.AddService(new ServiceConfig(key, "wlc", false, 0, 128, false, 0)),
                applied("-A", "-t", "[2001:db8::1]:https"));
    }

    @Test
    void fwmarkUdpSctpAndOps() {
        assertEquals(new TableCommand.AddService(service(ServiceKey.fwmark(1, false), "rr")),
                applied("-A", "-f", "1", "-s", "rr"));
        final ServiceKey f6 = ServiceKey.fwmark(7, true);
        assertEquals(new TableCommand.AddService(new ServiceConfig(f6, "wlc", true, 300, 128, false, 0)),
                applied("-A", "-f", "7", "-6", "-p"));
        final ServiceKey dns = ServiceKey.of(Protocol.UDP, Cli.ip("10.0.0.1"), 53);
        assertEquals(new TableCommand.AddService(new ServiceConfig(dns, "rr", false, 0, -1, true, 0)),
                applied("-A", "-u", "10.0.0.1:domain", "-s", "rr", "-o"));
        final ServiceKey sctp = ServiceKey.of(Protocol.SCTP, Cli.ip("10.0.0.1"), 5060);
        assertEquals(new TableCommand.AddService(service(sctp, "wlc")), applied("-A", "--sctp-service", "10.0.0.1:sip"));
    }

    @Test
    void namesResolveThroughTheResolverAndServicesFile() {
        assertEquals(new TableCommand.AddService(service(ServiceKey.of(Protocol.TCP, Cli.ip("127.0.0.1"), 80), "wlc")),
                applied("-A", "-t", "localhost:http"));
        assertEquals(new TableCommand.AddService(service(ServiceKey.of(Protocol.TCP, Cli.ip("129.129.190.54"), 22), "rr")),
                applied("-A", "-t", "129.129.190.54:ssh", "-s", "rr"));
        assertEquals(new TableCommand.AddService(service(ServiceKey.of(Protocol.TCP, Cli.ip("10.1.1.1"), 80), "wlc")),
                applied("-A", "-t", "web:www"));
    }

    @Test
    void realServerDefaultsAndPortRules() {
        final Endpoint rs80 = new Endpoint(Cli.ip("172.17.0.2"), 80);
        assertEquals(new TableCommand.AddDestination(VIP80, DestinationConfig.of(rs80, ForwardingMethod.ROUTE, 1)),
                applied("-a", "-t", "192.124.95.67:80", "-r", "172.17.0.2"));
        // Direct routing cannot change the port: the service's port is used.
        assertEquals(new TableCommand.AddDestination(VIP80, DestinationConfig.of(rs80, ForwardingMethod.ROUTE, 1)),
                applied("-a", "-t", "192.124.95.67:80", "-r", "172.17.0.2:8080", "-g"));
        assertEquals(new TableCommand.AddDestination(VIP80, DestinationConfig.of(
                new Endpoint(Cli.ip("172.17.0.3"), 81), ForwardingMethod.MASQ, 2)),
                applied("-a", "-t", "192.124.95.67:80", "-r", "172.17.0.3:81", "-m", "-w", "2"));
        assertEquals(new TableCommand.EditDestination(VIP80, new DestinationConfig(rs80, ForwardingMethod.MASQ, 5, 100,
                        50, TunnelType.IPIP, 0, TunnelChecksum.NOCSUM)),
                applied("-e", "-t", "192.124.95.67:80", "-r", "172.17.0.2:http", "-m", "-w5", "-x", "100", "-y", "50"));
        assertEquals(new TableCommand.DeleteDestination(VIP80, new Endpoint(Cli.ip("172.17.0.3"), 81)),
                applied("-d", "-t", "192.124.95.67:80", "-r", "172.17.0.3:81"));
        assertEquals(new TableCommand.AddDestination(ServiceKey.fwmark(3, false), DestinationConfig.of(
                new Endpoint(Cli.ip("10.0.0.5"), 0), ForwardingMethod.TUNNEL, 1)),
                applied("-a", "-f", "3", "-r", "10.0.0.5", "-i"));
        assertEquals(new TableCommand.AddDestination(VIP80, new DestinationConfig(rs80, ForwardingMethod.TUNNEL, 1, 0, 0,
                        TunnelType.GUE, 6080, TunnelChecksum.REMCSUM)),
                applied("-a", "-t", "192.124.95.67:80", "-r", "172.17.0.2", "-i", "--tun-type", "gue",
                        "--tun-port", "6080", "--tun-remcsum"));
        assertEquals(new TableCommand.AddDestination(VIP80, new DestinationConfig(
                        new Endpoint(Cli.ip("2001:db8::5"), 80), ForwardingMethod.TUNNEL, 1, 0, 0,
                        TunnelType.GRE, 0, TunnelChecksum.CSUM)),
                applied("-a", "-t", "192.124.95.67:80", "-r", "[2001:db8::5]:80", "-i", "--tun-type", "gre", "--tun-csum"));
    }

    @Test
    void otherCommands() {
        assertEquals(new TableCommand.Clear(), applied("-C"));
        assertEquals(new TableCommand.Zero(null), applied("-Z"));
        assertEquals(new TableCommand.Zero(VIP80), applied("--zero", "-t", "192.124.95.67:80"));
        assertEquals(new TableCommand.SetTimeouts(new Timeouts(259200, 0, 0)), applied("--set", "259200", "0", "0"));
        assertEquals(new TableCommand.StartDaemon(new SyncDaemon(SyncDaemon.State.MASTER, "eth0", 0, 0, null, 0, 0)),
                applied("--start-daemon", "master"));
        assertEquals(new TableCommand.StartDaemon(new SyncDaemon(SyncDaemon.State.BACKUP, "eth1", 5, 1400,
                        Cli.ip("239.1.2.3"), 9000, 3)),
                applied("--start-daemon=backup", "--mcast-interface", "eth1", "--syncid", "5", "--sync-maxlen", "1400",
                        "--mcast-group", "239.1.2.3", "--mcast-port", "9000", "--mcast-ttl", "3"));
        assertEquals(new TableCommand.StopDaemon(SyncDaemon.State.BACKUP), applied("--stop-daemon", "backup"));
    }

    @Test
    void combinedShortOptionsAndGluedArguments() {
        assertEquals(new TableCommand.AddService(service(VIP80, "rr")), applied("-At", "192.124.95.67:80", "-srr"));
        assertEquals(new TableCommand.AddDestination(VIP80, DestinationConfig.of(new Endpoint(Cli.ip("172.17.0.2"), 80),
                ForwardingMethod.MASQ, 3)), applied("-a", "-t", "192.124.95.67:80", "-mr", "172.17.0.2", "-w=3"));
        assertEquals(0, cli.run("-Ln").status());
        assertEquals(0, cli.run("-Lnc").status());
        assertEquals(0, cli.run("-Sn").status());
        assertEquals(0, cli.run("-ln", "--sort").status());
    }

    @Test
    void helpVersionAndNoArguments() {
        final Cli.Result v = cli.run("-v");
        assertEquals("ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\n", v.out());
        final Cli.Result h = cli.run("--help");
        assertEquals(0, h.status());
        assertTrue(h.out().startsWith("ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\nUsage:\n"
                + "  ipvsadm -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask]"));
        final Cli.Result none = cli.run();
        assertEquals("IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n", none.out());
    }
}
