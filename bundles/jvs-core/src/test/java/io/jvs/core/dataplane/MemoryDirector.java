package io.jvs.core.dataplane;

import io.jvs.api.DestinationConfig;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceKey;
import io.jvs.api.TableCommand;
import io.jvs.api.TableException;
import io.jvs.api.TunnelChecksum;
import io.jvs.api.TunnelType;
import io.jvs.core.port.MemoryPort;
import io.jvs.core.port.Port;
import io.jvs.core.route.InterfaceAddress;
import io.jvs.core.route.Link;
import io.jvs.core.route.Route;
import io.jvs.core.route.RouteTable;
import io.jvs.core.svc.ServiceTable;
import io.jvs.sched.classic.RoundRobin;
import io.jvs.sched.classic.WeightedRoundRobin;
import io.jvs.testkit.wire.NatLab;
import io.jvs.testkit.wire.TestFrames;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The NAT lab's director in memory (addresses: testkit's {@link NatLab}): ext (10.77.1.1/24, ifindex 2) towards
 * the client, int (10.77.2.1/24, ifindex 3) towards realservers 10.77.2.11-13; VIP 10.77.1.100. A settable
 * clock; no threads.
 */
final class MemoryDirector implements AutoCloseable {
    static final long EXT_MAC = NatLab.EXT_MAC;
    static final long INT_MAC = NatLab.INT_MAC;
    static final long CLIENT_MAC = NatLab.CLIENT_MAC;
    static final int CLIENT = NatLab.CLIENT;
    static final int VIP = NatLab.VIP;
    static final int[] RS = NatLab.RS;
    static final long[] RS_MAC = NatLab.RS_MAC;

    final AtomicLong clock = new AtomicLong(1_000_000);
    final ServiceTable table = new ServiceTable();
    final MemoryPort ext;
    final MemoryPort in;
    final Dataplane dp;

    /** Ports with as many queues as {@code settings} has workers. */
    MemoryDirector(final DataplaneSettings settings) {
        ext = new MemoryPort(NatLab.EXT_NAME, NatLab.EXT_IFINDEX, EXT_MAC, 256, settings.queues());
        in = new MemoryPort(NatLab.INT_NAME, NatLab.INT_IFINDEX, INT_MAC, 256, settings.queues());
        table.addScheduler(new RoundRobin());
        table.addScheduler(new WeightedRoundRobin());
        dp = new Dataplane(table, List.<Port>of(ext, in), settings.withGuardKernel(false), clock::get);
        dp.routes(routes());
    }

    /** The lab's links, addresses and connected routes, as the kernel would report them. */
    static RouteTable routes() {
        return routes(1500, 1500);
    }

    /** The same with the given MTUs on ext and int, and {@code extra} routes after the connected ones. */
    static RouteTable routes(final int extMtu, final int intMtu, final Route... extra) {
        final List<Route> routes = new ArrayList<>(List.of(
                new Route(NatLab.EXT_NET, NatLab.PREFIX, 0, NatLab.EXT_IFINDEX, 0),
                new Route(NatLab.INT_NET, NatLab.PREFIX, 0, NatLab.INT_IFINDEX, 0)));
        routes.addAll(List.of(extra));
        return new RouteTable(
                List.of(new Link(NatLab.EXT_IFINDEX, NatLab.EXT_NAME, EXT_MAC, extMtu, true),
                        new Link(NatLab.INT_IFINDEX, NatLab.INT_NAME, INT_MAC, intMtu, true)),
                List.of(new InterfaceAddress(NatLab.EXT_IFINDEX, NatLab.EXT_IP, NatLab.PREFIX),
                        new InterfaceAddress(NatLab.INT_IFINDEX, NatLab.INT_IP, NatLab.PREFIX)),
                routes);
    }

    MemoryDirector() {
        this(DataplaneSettings.DEFAULTS.withConnections(1024));
    }

    static InetAddress inet(final int a) {
        return TestFrames.inet(a);
    }

    static ServiceKey key(final Protocol p, final int port) {
        return ServiceKey.of(p, inet(VIP), port);
    }

    void service(final Protocol p, final int port, final String sched, final int persistence) throws TableException {
        table.apply(List.of(new TableCommand.AddService(new ServiceConfig(key(p, port), sched, persistence > 0,
                persistence, ServiceConfig.HOST_MASK_V4, false, 0))));
    }

    void real(final Protocol p, final int port, final int rs, final int rport, final ForwardingMethod m,
              final int weight) throws TableException {
        table.apply(List.of(new TableCommand.AddDestination(key(p, port), dest(rs, rport, m, weight, 0))));
    }

    static DestinationConfig dest(final int rs, final int rport, final ForwardingMethod m, final int weight,
                                  final int upper) {
        return new DestinationConfig(new Endpoint(inet(RS[rs]), rport), m, weight, upper, 0, TunnelType.IPIP, 0,
                TunnelChecksum.NOCSUM);
    }

    /** Teaches the neighbour table every realserver's and the client's MAC, as ARP replies would. */
    void learnNeighbours() {
        for (int i = 0; i < RS.length; i++) {
            dp.neighbours().learn(RS[i], RS_MAC[i], clock.get());
        }
        dp.neighbours().learn(CLIENT, CLIENT_MAC, clock.get());
    }

    /** Client to VIP, through ext; returns what left through int (null if nothing). */
    byte[] fromClient(final byte[] frame) {
        return fromClient(0, frame);
    }

    /** The same through queue {@code q}: from the thread that drives that queue only. */
    byte[] fromClient(final int q, final byte[] frame) {
        ext.inject(q, frame);
        dp.poll(q);
        return in.drain(q);
    }

    /** Realserver to client, through int; returns what left through ext (null if nothing). */
    byte[] fromRealserver(final byte[] frame) {
        in.inject(frame);
        dp.poll(0);
        return ext.drain();
    }

    byte[] syn(final int sport, final int dport) {
        return TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, sport, VIP, dport, TestFrames.SYN, 0);
    }

    /** Index of the realserver a frame went to, by its destination MAC. */
    static int realserverOf(final byte[] frame) {
        final long mac = TestFrames.dstMac(frame);
        for (int i = 0; i < RS_MAC.length; i++) {
            if (RS_MAC[i] == mac) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        dp.close();
        table.close();
    }
}
