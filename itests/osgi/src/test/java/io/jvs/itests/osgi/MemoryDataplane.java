package io.jvs.itests.osgi;

import static io.jvs.itests.osgi.Packets.ip;

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
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The core's packet path over the framework's own table, on memory ports (the NAT lab of the core's
 * {@code MemoryDirector}): ext (10.77.1.1/24, ifindex 2) towards clients, int (10.77.2.1/24, ifindex 3)
 * towards realservers 10.77.2.11-13, whose MACs are learnt up front; VIP 10.77.1.100. One worker and one
 * queue of each port per client thread; no data-plane threads of its own: each client thread polls its queue.
 */
final class MemoryDataplane implements AutoCloseable {
    static final long EXT_MAC = 0x0200_0000_0001L;
    static final long INT_MAC = 0x0200_0000_0002L;
    static final long CLIENT_MAC = 0x0200_0000_00C1L;
    static final int VIP = ip("10.77.1.100");
    static final int[] RS = {ip("10.77.2.11"), ip("10.77.2.12"), ip("10.77.2.13")};
    static final long[] RS_MAC = {0x0200_0000_0011L, 0x0200_0000_0012L, 0x0200_0000_0013L};
    static final int RS_PORT = 8080;

    final Dataplane dp;
    private final ServiceTable table;
    private final MemoryPort ext;
    private final MemoryPort in;
    private final long[] unexpected;

    MemoryDataplane(final ServiceTable table, final int queues, final int connections) {
        this.table = table;
        ext = new MemoryPort("ext0", 2, EXT_MAC, 64, queues);
        in = new MemoryPort("int0", 3, INT_MAC, 64, queues);
        unexpected = new long[queues * 8];   // one counter per queue, 64 bytes apart
        dp = new Dataplane(table, List.<Port>of(ext, in),
                DataplaneSettings.DEFAULTS.withQueues(queues).withConnections(connections).withGuardKernel(false));
        dp.routes(new RouteTable(
                List.of(new Link(2, "ext0", EXT_MAC, 1500, true), new Link(3, "int0", INT_MAC, 1500, true)),
                List.of(new InterfaceAddress(2, ip("10.77.1.1"), 24), new InterfaceAddress(3, ip("10.77.2.1"), 24)),
                List.of(new Route(ip("10.77.1.0"), 24, 0, 2, 0), new Route(ip("10.77.2.0"), 24, 0, 3, 0))));
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
        return Packets.tcp(EXT_MAC, CLIENT_MAC, client, sport, VIP, vport, Packets.SYN);
    }

    static byte[] ack(final int client, final int sport, final int vport) {
        return Packets.tcp(EXT_MAC, CLIENT_MAC, client, sport, VIP, vport, Packets.ACK);
    }

    /**
     * Which realserver a client's frame went to: the index into {@link #RS} when it left through int rewritten
     * for that realserver (its MAC, address and port; the client's address and port kept; checksums valid),
     * else -1.
     */
    static int realserverOf(final byte[] out, final int client, final int sport) {
        if (out == null || Packets.saddr(out) != client || Packets.sport(out) != sport
                || Packets.dport(out) != RS_PORT || !Packets.checksumsValid(out)) {
            return -1;
        }
        for (int i = 0; i < RS.length; i++) {
            if (RS_MAC[i] == Packets.dstMac(out) && RS[i] == Packets.daddr(out)) {
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
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
        } catch (final UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        dp.close();
    }
}
