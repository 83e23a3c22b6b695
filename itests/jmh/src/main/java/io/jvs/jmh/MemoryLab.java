package io.jvs.jmh;

import io.jvs.api.ConnectionEntry;
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
import io.jvs.core.dataplane.Dataplane;
import io.jvs.core.dataplane.DataplaneSettings;
import io.jvs.core.dataplane.PathCounters;
import io.jvs.core.port.MemoryPort;
import io.jvs.core.port.Port;
import io.jvs.core.route.InterfaceAddress;
import io.jvs.core.route.Link;
import io.jvs.core.route.Route;
import io.jvs.core.route.RouteTable;
import io.jvs.core.svc.ServiceTable;
import io.jvs.sched.classic.RoundRobin;
import io.jvs.testkit.wire.NatLab;
import io.jvs.testkit.wire.TestFrames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The NAT lab's director in memory (addresses: testkit's {@link NatLab}), wired as the core's test fixture
 * {@code MemoryDirector} wires it: ext (10.77.1.1/24, ifindex 2) towards the client, int (10.77.2.1/24, ifindex 3)
 * towards realservers 10.77.2.11-13; VIP 10.77.1.100, one TCP service on port 80 (rr) with the three realservers;
 * neighbours learnt; a clock that stands still unless moved; no threads. Setup only: the methods here allocate.
 */
final class MemoryLab implements AutoCloseable {
    static final long EXT_MAC = NatLab.EXT_MAC;
    static final long INT_MAC = NatLab.INT_MAC;
    static final long CLIENT_MAC = NatLab.CLIENT_MAC;
    static final int CLIENT = NatLab.CLIENT;
    static final int VIP = NatLab.VIP;
    static final int VPORT = 80;
    static final int RPORT = 8080;
    static final int[] RS = NatLab.RS;
    static final long[] RS_MAC = NatLab.RS_MAC;
    /** Client ports of the benchmark flows start here. */
    static final int FIRST_CLIENT_PORT = 20_000;

    final AtomicLong clock = new AtomicLong(1_000_000);
    final ServiceTable table = new ServiceTable();
    final MemoryPort ext;
    final MemoryPort in;
    final Dataplane dp;

    /**
     * @param method MASQ (NAT) or ROUTE (DR) for the three realservers
     * @param slots  frames each port's rings hold (2 KiB each, receive and transmit)
     */
    MemoryLab(final ForwardingMethod method, final int connections, final int slots) throws TableException {
        ext = new MemoryPort(NatLab.EXT_NAME, NatLab.EXT_IFINDEX, EXT_MAC, slots);
        in = new MemoryPort(NatLab.INT_NAME, NatLab.INT_IFINDEX, INT_MAC, slots);
        table.addScheduler(new RoundRobin());
        dp = new Dataplane(table, List.<Port>of(ext, in),
                DataplaneSettings.DEFAULTS.withConnections(connections).withGuardKernel(false), clock::get);
        dp.routes(new RouteTable(
                List.of(new Link(NatLab.EXT_IFINDEX, NatLab.EXT_NAME, EXT_MAC, 1500, true),
                        new Link(NatLab.INT_IFINDEX, NatLab.INT_NAME, INT_MAC, 1500, true)),
                List.of(new InterfaceAddress(NatLab.EXT_IFINDEX, NatLab.EXT_IP, NatLab.PREFIX),
                        new InterfaceAddress(NatLab.INT_IFINDEX, NatLab.INT_IP, NatLab.PREFIX)),
                List.of(new Route(NatLab.EXT_NET, NatLab.PREFIX, 0, NatLab.EXT_IFINDEX, 0),
                        new Route(NatLab.INT_NET, NatLab.PREFIX, 0, NatLab.INT_IFINDEX, 0))));
        final ServiceKey key = ServiceKey.of(Protocol.TCP, TestFrames.inet(VIP), VPORT);
        final List<TableCommand> commands = new ArrayList<>();
        commands.add(new TableCommand.AddService(
                new ServiceConfig(key, "rr", false, 0, ServiceConfig.HOST_MASK_V4, false, 0)));
        final int rport = method == ForwardingMethod.ROUTE ? VPORT : RPORT;
        for (final int rs : RS) {
            commands.add(new TableCommand.AddDestination(key, new DestinationConfig(new Endpoint(TestFrames.inet(rs), rport),
                    method, 1, 0, 0, TunnelType.IPIP, 0, TunnelChecksum.NOCSUM)));
        }
        table.apply(commands);
        // The rate estimator's thread (started by apply) would allocate in the background; nothing here needs it.
        table.close();
        for (int i = 0; i < RS.length; i++) {
            dp.neighbours().learn(RS[i], RS_MAC[i], clock.get());
        }
        dp.neighbours().learn(CLIENT, CLIENT_MAC, clock.get());
    }

    static int clientPort(final int flow) {
        return FIRST_CLIENT_PORT + flow;
    }

    /** Client to VIP segment of flow {@code flow}. */
    static byte[] fromClient(final int flow, final int flags, final int payload) {
        return TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, clientPort(flow), VIP, VPORT, flags, payload);
    }

    /** Runs frames through the data plane (normal mode: each once), polling whenever a ring could fill. */
    void run(final MemoryPort port, final List<byte[]> frames) {
        for (final byte[] f : frames) {
            if (!port.inject(f)) {
                drainAll();
                if (!port.inject(f)) {
                    throw new IllegalStateException("receive ring full");
                }
            }
        }
        drainAll();
    }

    private void drainAll() {
        while (dp.poll(0) > 0) {
            // until both receive rings are empty
        }
    }

    /**
     * Opens {@code flows} TCP connections from the client (SYN, then ACK) so they are ESTABLISHED, with the
     * transmit side of both ports in replay mode (counted, not kept) so nothing has to be drained.
     */
    void establish(final int flows) {
        ext.replay(false);
        in.replay(true);     // no frames injected there: receives nothing, transmits only count
        final List<byte[]> syns = new ArrayList<>();
        final List<byte[]> acks = new ArrayList<>();
        for (int f = 0; f < flows; f++) {
            syns.add(fromClient(f, TestFrames.SYN, 0));
            acks.add(fromClient(f, TestFrames.ACK, 0));
        }
        // The ext port must not replay while its ring is consumed; its transmits (none expected) are kept.
        run(ext, syns);
        run(ext, acks);
        final List<ConnectionEntry> entries = dp.connectionEntries();
        if (entries.size() != flows) {
            throw new IllegalStateException(entries.size() + " connections, " + flows + " expected");
        }
        for (final ConnectionEntry e : entries) {
            if (!"ESTABLISHED".equals(e.state())) {
                throw new IllegalStateException("not established: " + e);
            }
        }
        check(PathCounters.FORWARDED, 2L * flows);
    }

    /** Fails unless the counter reads {@code expected}. */
    void check(final int counter, final long expected) {
        final long actual = dp.counter(counter);
        if (actual != expected) {
            throw new IllegalStateException("path counter " + counter + " is " + actual + ", expected " + expected
                    + "; counters: " + counters());
        }
    }

    /** Every non-zero path counter, for error messages. */
    String counters() {
        final StringBuilder b = new StringBuilder();
        for (int i = 0; i < PathCounters.SIZE; i++) {
            final long v = dp.counter(i);
            if (v != 0) {
                b.append(' ').append(i).append('=').append(v);
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        dp.close();
        table.close();
    }
}
