package io.jvs.itests.osgi;

import io.jvs.api.DestinationConfig;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceKey;
import io.jvs.api.TableCommand;
import io.jvs.core.dataplane.Dataplane;
import io.jvs.core.dataplane.DataplaneSettings;
import io.jvs.core.port.MemoryPort;
import io.jvs.core.port.Port;
import io.jvs.core.route.InterfaceAddress;
import io.jvs.core.route.Link;
import io.jvs.core.route.Route;
import io.jvs.core.route.RouteTable;
import io.jvs.core.svc.ServiceState;
import io.jvs.core.svc.ServiceTable;
import io.jvs.testkit.wire.NatLab;
import io.jvs.testkit.wire.TestFrames;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The core's packet path over the framework's own table, on memory ports (the NAT lab of the core's
 * {@code MemoryDirector}, addresses from testkit's {@link NatLab}): ext (10.77.1.1/24, ifindex 2) towards clients,
 * int (10.77.2.1/24, ifindex 3) towards realservers 10.77.2.11-13, whose MACs are learnt up front; VIP 10.77.1.100.
 * One worker and one queue of each port per client thread; no data-plane threads of its own: each client thread
 * polls its queue. Frames come from testkit's {@link TestFrames}, whose checksum arithmetic is its own: the test
 * does not check the core with the core's own arithmetic.
 */
final class MemoryDataplane implements AutoCloseable {
    static final long EXT_MAC = NatLab.EXT_MAC;
    static final long INT_MAC = NatLab.INT_MAC;
    static final long CLIENT_MAC = NatLab.CLIENT_MAC;
    static final int VIP = NatLab.VIP;
    static final int[] RS = NatLab.RS;
    static final long[] RS_MAC = NatLab.RS_MAC;
    static final int RS_PORT = 8080;

    final Dataplane dp;
    private final ServiceTable table;
    private final MemoryPort ext;
    private final MemoryPort in;
    private final long[] unexpected;

    MemoryDataplane(final ServiceTable table, final int queues, final int connections) {
        this.table = table;
        ext = new MemoryPort(NatLab.EXT_NAME, NatLab.EXT_IFINDEX, EXT_MAC, 64, queues);
        in = new MemoryPort(NatLab.INT_NAME, NatLab.INT_IFINDEX, INT_MAC, 64, queues);
        unexpected = new long[queues * 8];   // one counter per queue, 64 bytes apart
        dp = new Dataplane(table, List.<Port>of(ext, in),
                DataplaneSettings.DEFAULTS.withQueues(queues).withConnections(connections).withGuardKernel(false));
        dp.routes(new RouteTable(
                List.of(new Link(NatLab.EXT_IFINDEX, NatLab.EXT_NAME, EXT_MAC, 1500, true),
                        new Link(NatLab.INT_IFINDEX, NatLab.INT_NAME, INT_MAC, 1500, true)),
                List.of(new InterfaceAddress(NatLab.EXT_IFINDEX, NatLab.EXT_IP, NatLab.PREFIX),
                        new InterfaceAddress(NatLab.INT_IFINDEX, NatLab.INT_IP, NatLab.PREFIX)),
                List.of(new Route(NatLab.EXT_NET, NatLab.PREFIX, 0, NatLab.EXT_IFINDEX, 0),
                        new Route(NatLab.INT_NET, NatLab.PREFIX, 0, NatLab.INT_IFINDEX, 0))));
        final long now = System.nanoTime() / 1_000_000L;   // the data plane's default clock
        for (int i = 0; i < RS.length; i++) {
            dp.neighbours().learn(RS[i], RS_MAC[i], now);
        }
    }

    /**
     * Client to VIP through queue {@code q}, from the thread that drives that queue: the frame that left towards
     * the realservers, or null. Anything that came back out of ext instead (an ICMP error) is counted.
     */
    byte[] send(final int q, final byte[] frame) {
        if (!ext.inject(q, frame)) {
            throw new IllegalStateException("receive ring of queue " + q + " full");
        }
        dp.poll(q);
        while (ext.drain(q) != null) {
            unexpected[q * 8]++;
        }
        final byte[] out = in.drain(q);
        if (out != null && in.drain(q) != null) {
            throw new IllegalStateException("one frame in, two out on queue " + q);
        }
        return out;
    }

    /** Frames that came back out of ext; read once the client threads stopped. */
    long unexpected() {
        long sum = 0;
        for (int q = 0; q < unexpected.length; q += 8) {
            sum += unexpected[q];
        }
        return sum;
    }

    static byte[] syn(final int client, final int sport, final int vport) {
        return TestFrames.tcp(EXT_MAC, CLIENT_MAC, client, sport, VIP, vport, TestFrames.SYN, 0);
    }

    static byte[] ack(final int client, final int sport, final int vport) {
        return TestFrames.tcp(EXT_MAC, CLIENT_MAC, client, sport, VIP, vport, TestFrames.ACK, 0);
    }

    /**
     * Which realserver a client's frame went to: the index into {@link #RS} when it left through int rewritten
     * for that realserver (its MAC, address and port; the client's address and port kept; checksums valid),
     * else -1.
     */
    static int realserverOf(final byte[] out, final int client, final int sport) {
        if (out == null || TestFrames.saddr(out) != client || TestFrames.sport(out) != sport
                || TestFrames.dport(out) != RS_PORT || !TestFrames.checksumsValid(out)) {
            return -1;
        }
        for (int i = 0; i < RS.length; i++) {
            if (RS_MAC[i] == TestFrames.dstMac(out) && RS[i] == TestFrames.daddr(out)) {
                return i;
            }
        }
        return -1;
    }

    static ServiceKey key(final int vport) {
        return ServiceKey.of(Protocol.TCP, inet(VIP), vport);
    }

    /** A NAT service on VIP:vport with the three realservers, added in order (so the list is 13, 12, 11). */
    static List<TableCommand> natService(final int vport, final String scheduler) {
        final ServiceKey key = key(vport);
        final List<TableCommand> commands = new ArrayList<>();
        commands.add(new TableCommand.AddService(
                new ServiceConfig(key, scheduler, false, 0, ServiceConfig.hostMask(key), false, 0)));
        for (final int rs : RS) {
            commands.add(new TableCommand.AddDestination(key,
                    DestinationConfig.of(new Endpoint(inet(rs), RS_PORT), ForwardingMethod.MASQ, 1)));
        }
        return commands;
    }

    /** The live state (scheduler binding, fallback count) of the service on VIP:vport. */
    ServiceState state(final int vport) {
        return table.snapshot().services().get(key(vport)).state();
    }

    static InetAddress inet(final int a) {
        return TestFrames.inet(a);
    }

    @Override
    public void close() {
        dp.close();
    }
}
