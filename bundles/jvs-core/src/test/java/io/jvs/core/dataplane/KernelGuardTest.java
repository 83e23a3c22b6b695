package io.jvs.core.dataplane;

import static io.jvs.testkit.wire.TestFrames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.DestinationConfig;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceKey;
import io.jvs.api.TableCommand;
import io.jvs.api.TableCommand.AddDestination;
import io.jvs.api.TableCommand.AddService;
import io.jvs.core.port.MemoryPort;
import io.jvs.core.port.Port;
import io.jvs.core.route.RouteTable;
import io.jvs.core.svc.DestinationState;
import io.jvs.core.svc.ServiceTable;
import io.jvs.core.svc.TableSnapshot;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The nftables text the guard hands to {@code nft -f}, for the NAT lab's director (see MemoryDirector); nft is not run. */
class KernelGuardTest {
    private static final String HEAD = "table netdev jvs\ndelete table netdev jvs\ntable netdev jvs {\n";
    private static final String NO_NAT_RS = "  set nat_rs { type ipv4_addr . inet_proto . inet_service; }\n"
            + "  set nat_rs_any_port { type ipv4_addr . inet_proto; }\n";
    private static final String LAB_DIPS = "  set dips { type ipv4_addr; elements = { 10.77.1.1, 10.77.2.1 } }\n";

    private static final RouteTable LAB = MemoryDirector.routes();
    private static final Port[] LAB_PORTS = {
        new MemoryPort("ext0", 2, MemoryDirector.EXT_MAC, 4), new MemoryPort("int0", 3, MemoryDirector.INT_MAC, 4)};

    private static final String LAB_CHAINS = chain("in_ext0", "ext0") + chain("in_int0", "int0");

    private final List<ServiceTable> tables = new ArrayList<>();

    @AfterEach
    void closeTables() {
        tables.forEach(ServiceTable::close);
    }

    private static String chain(final String name, final String device) {
        return "  chain " + name + " {\n"
                + "    type filter hook ingress device \"" + device + "\" priority -500; policy accept;\n"
                + "    ip daddr @vips counter drop\n"
                + "    ip saddr . meta l4proto . th sport @nat_rs ip daddr != @dips counter drop\n"
                + "    ip saddr . meta l4proto @nat_rs_any_port ip daddr != @dips counter drop\n"
                + "  }\n";
    }

    private static ServiceKey key(final Protocol p, final String vip, final int port) throws Exception {
        return ServiceKey.of(p, InetAddress.getByName(vip), port);
    }

    private static AddService service(final ServiceKey key) {
        return new AddService(new ServiceConfig(key, "rr", false, 0, key.isIpv6() ? ServiceConfig.HOST_PREFIX_V6
                : ServiceConfig.HOST_MASK_V4, false, 0));
    }

    private static AddDestination real(final ServiceKey key, final String rs, final int port, final ForwardingMethod m)
            throws Exception {
        return new AddDestination(key, DestinationConfig.of(new Endpoint(InetAddress.getByName(rs), port), m, 1));
    }

    /** The guard's rules for a table after {@code commands}, on the lab's routes and ports. */
    private String ruleset(final TableCommand... commands) throws Exception {
        final ServiceTable table = new ServiceTable();
        tables.add(table);
        table.apply(List.of(commands));
        return KernelGuard.ruleset(new ServiceIndex(table.snapshot()), table.snapshot(), LAB, LAB_PORTS);
    }

    private static String vips(final String elements) {
        return "  set vips { type ipv4_addr; elements = { " + elements + " } }\n";
    }

    private static String natRs(final String elements) {
        return "  set nat_rs { type ipv4_addr . inet_proto . inet_service; elements = { " + elements + " } }\n"
                + "  set nat_rs_any_port { type ipv4_addr . inet_proto; }\n";
    }

    @Test
    void emptyDirectorHasEmptySetsAndNoHooks() {
        assertEquals(HEAD
                + "  set vips { type ipv4_addr; }\n"
                + NO_NAT_RS
                + "  set dips { type ipv4_addr; }\n"
                + "}\n", KernelGuard.ruleset(ServiceIndex.EMPTY, TableSnapshot.EMPTY, RouteTable.EMPTY, new Port[0]));
    }

    @Test
    void noServicesHookTheInterfacesButDropNothing() throws Exception {
        // The sets are empty, so the chains pass everything: the kernel keeps all traffic.
        assertEquals(HEAD + "  set vips { type ipv4_addr; }\n" + NO_NAT_RS + LAB_DIPS + LAB_CHAINS + "}\n", ruleset());
    }

    @Test
    void natServiceDropsVipTrafficAndRealserverRepliesToOthers() throws Exception {
        final ServiceKey web = key(Protocol.TCP, "10.77.1.100", 80);
        assertEquals(HEAD
                + vips("10.77.1.100")
                + natRs("10.77.2.11 . tcp . 8080, 10.77.2.12 . tcp . 8080")
                + LAB_DIPS
                + LAB_CHAINS
                + "}\n", ruleset(service(web), real(web, "10.77.2.11", 8080, ForwardingMethod.MASQ),
                real(web, "10.77.2.12", 8080, ForwardingMethod.MASQ)));
    }

    @Test
    void directRoutingDropsVipTrafficOnly() throws Exception {
        // DR, tunnel and local realservers answer clients themselves; nothing of theirs crosses the director.
        final ServiceKey web = key(Protocol.TCP, "10.77.1.100", 80);
        assertEquals(HEAD + vips("10.77.1.100") + NO_NAT_RS + LAB_DIPS + LAB_CHAINS + "}\n",
                ruleset(service(web), real(web, "10.77.2.11", 80, ForwardingMethod.ROUTE),
                        real(web, "10.77.2.12", 80, ForwardingMethod.TUNNEL),
                        real(web, "10.77.2.1", 80, ForwardingMethod.LOCAL)));
    }

    @Test
    void severalVipsPortsAndProtocols() throws Exception {
        final ServiceKey web = key(Protocol.TCP, "10.77.1.100", 80);
        final ServiceKey alt = key(Protocol.TCP, "10.77.1.100", 8080);
        final ServiceKey dns = key(Protocol.UDP, "10.77.1.100", 53);
        final ServiceKey tls = key(Protocol.TCP, "203.0.113.10", 443);
        final ServiceKey mixed = key(Protocol.TCP, "203.0.113.11", 443);
        final String rules = ruleset(
                service(web), real(web, "10.77.2.11", 80, ForwardingMethod.MASQ),
                service(alt), real(alt, "10.77.2.11", 80, ForwardingMethod.MASQ),
                real(alt, "10.77.2.12", 8080, ForwardingMethod.MASQ),
                service(dns), real(dns, "10.77.2.11", 53, ForwardingMethod.MASQ),
                service(tls), real(tls, "10.77.2.13", 443, ForwardingMethod.ROUTE),
                service(mixed), real(mixed, "10.77.2.13", 443, ForwardingMethod.ROUTE),
                real(mixed, "10.77.2.14", 443, ForwardingMethod.MASQ));
        // One element per VIP and per realserver address, protocol and port, whatever the services sharing them.
        assertEquals(HEAD
                + vips("10.77.1.100, 203.0.113.10, 203.0.113.11")
                + natRs("10.77.2.11 . tcp . 80, 10.77.2.11 . udp . 53, 10.77.2.12 . tcp . 8080, 10.77.2.14 . tcp . 443")
                + LAB_DIPS
                + LAB_CHAINS
                + "}\n", rules);
    }

    @Test
    void firewallMarkAndIpv6ServicesAreLeftToTheKernel() throws Exception {
        // The core does not balance them (see ServiceIndex), so it must not take their traffic from the kernel.
        final ServiceKey marked = ServiceKey.fwmark(7, false);
        final ServiceKey v6 = key(Protocol.TCP, "2001:db8::100", 80);
        final String rules = ruleset(service(marked), real(marked, "10.77.2.11", 80, ForwardingMethod.MASQ),
                service(v6), real(v6, "2001:db8:2::11", 80, ForwardingMethod.MASQ));
        assertEquals(HEAD + "  set vips { type ipv4_addr; }\n" + NO_NAT_RS + LAB_DIPS + LAB_CHAINS + "}\n", rules);
    }

    @Test
    void allPortsServiceDropsRealserverRepliesFromAnyPort() throws Exception {
        // -t VIP:0 -p: the realserver answers from the port the client connected to, whichever that was.
        final ServiceKey all = key(Protocol.TCP, "10.77.1.100", 0);
        final String rules = ruleset(new AddService(new ServiceConfig(all, "rr", true, 300,
                        ServiceConfig.HOST_MASK_V4, false, 0)),
                real(all, "10.77.2.11", 0, ForwardingMethod.MASQ), real(all, "10.77.2.12", 0, ForwardingMethod.ROUTE));
        assertEquals(HEAD + vips("10.77.1.100")
                + "  set nat_rs { type ipv4_addr . inet_proto . inet_service; }\n"
                + "  set nat_rs_any_port { type ipv4_addr . inet_proto; elements = { 10.77.2.11 . tcp } }\n"
                + LAB_DIPS + LAB_CHAINS + "}\n", rules);
    }

    @Test
    void sctpIsLeftToTheKernel() throws Exception {
        // The core balances TCP and UDP only; an SCTP service's realservers keep their traffic.
        final ServiceKey sctp = key(Protocol.SCTP, "10.77.1.100", 3868);
        final String rules = ruleset(service(sctp), real(sctp, "10.77.2.11", 3868, ForwardingMethod.MASQ));
        assertEquals(HEAD + "  set vips { type ipv4_addr; }\n" + NO_NAT_RS + LAB_DIPS + LAB_CHAINS + "}\n", rules);
    }

    @Test
    void chainIsNamedAfterItsDeviceInNftWords() {
        final Port vlan = new MemoryPort("eth0.100", 4, 0x0200_0000_0004L, 4);
        final Port dashed = new MemoryPort("bond-ext", 5, 0x0200_0000_0005L, 4);
        final String rules = KernelGuard.ruleset(ServiceIndex.EMPTY, TableSnapshot.EMPTY, RouteTable.EMPTY,
                new Port[] {vlan, dashed});
        assertTrue(rules.contains(chain("in_eth0_100", "eth0.100") + chain("in_bond_ext", "bond-ext") + "}\n"), rules);
    }

    @Test
    void sameTableGivesTheSameTextWhateverTheOrderItWasBuiltIn() throws Exception {
        // apply() rewrites the kernel's rules only when the text changes.
        final ServiceKey a = key(Protocol.TCP, "203.0.113.20", 80);
        final ServiceKey b = key(Protocol.UDP, "10.77.1.100", 53);
        final String one = ruleset(service(a), real(a, "10.77.2.12", 80, ForwardingMethod.MASQ),
                real(a, "10.77.2.11", 80, ForwardingMethod.MASQ), service(b),
                real(b, "10.77.2.13", 53, ForwardingMethod.MASQ));
        final String other = ruleset(service(b), real(b, "10.77.2.13", 53, ForwardingMethod.MASQ), service(a),
                real(a, "10.77.2.11", 80, ForwardingMethod.MASQ), real(a, "10.77.2.12", 80, ForwardingMethod.MASQ));
        assertEquals(one, other);
    }

    /**
     * {@code ipvsadm -C} then {@code -R}: between the two, a NAT realserver its connections still point to stays in
     * the guard (the core still rewrites its replies; a kernel with ip_forward on would forward them raw), one with
     * none does not, and it leaves once its last connection has ended.
     */
    @Test
    void aDeletedNatRealserverStaysGuardedWhileConnectionsPointToIt() throws Exception {
        final ServiceKey web = key(Protocol.TCP, "10.77.1.100", 80);
        final ServiceTable table = new ServiceTable();
        tables.add(table);
        table.apply(List.of(service(web), real(web, "10.77.2.11", 8080, ForwardingMethod.MASQ),
                real(web, "10.77.2.12", 8080, ForwardingMethod.MASQ)));
        final DestinationState busy = table.snapshot().services().get(web).destinations().stream()
                .filter(d -> d.config().endpoint().port() == 8080 && d.state().ipv4() == ip("10.77.2.11"))
                .findFirst().orElseThrow().state();
        busy.bind();   // a connection to 10.77.2.11
        table.apply(List.of(new TableCommand.Clear()));
        assertEquals(1, table.trashedInUse().size());
        final String cleared = KernelGuard.ruleset(new ServiceIndex(table.snapshot()), table.snapshot(),
                table.trashedInUse(), LAB, LAB_PORTS);
        assertTrue(cleared.contains("  set vips { type ipv4_addr; }\n"), cleared);
        assertTrue(cleared.contains("  set nat_rs { type ipv4_addr . inet_proto . inet_service; "
                + "elements = { 10.77.2.11 . tcp . 8080 } }\n"), cleared);
        busy.unbind(false);   // its last connection ended
        assertEquals(0, table.trashedInUse().size());
        assertEquals(HEAD + "  set vips { type ipv4_addr; }\n" + NO_NAT_RS + LAB_DIPS + LAB_CHAINS + "}\n",
                KernelGuard.ruleset(new ServiceIndex(table.snapshot()), table.snapshot(), table.trashedInUse(), LAB,
                        LAB_PORTS));
    }

    @Test
    void dottedReadsTheAddressAsUnsigned() {
        assertEquals("203.0.113.255", KernelGuard.dotted(ip("203.0.113.255")));
        assertEquals("255.255.255.255", KernelGuard.dotted(-1));
        assertEquals("0.0.0.1", KernelGuard.dotted(1));
    }
}
