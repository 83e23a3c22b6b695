package io.jvs.core.dataplane;

import io.jvs.api.ConnectionEntry;
import io.jvs.api.DataplaneStatus;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceKey;
import io.jvs.core.conn.ConnectionListener;
import io.jvs.core.conn.ConnectionTable;
import io.jvs.core.conn.ConnectionView;
import io.jvs.core.conn.TcpState;
import io.jvs.core.neigh.NeighbourTable;
import io.jvs.core.os.CpuAffinity;
import io.jvs.core.os.Wakeup;
import io.jvs.core.port.Port;
import io.jvs.core.route.RouteTable;
import io.jvs.core.stats.Counters;
import io.jvs.core.svc.Destination;
import io.jvs.core.svc.DestinationState;
import io.jvs.core.svc.Service;
import io.jvs.core.svc.ServiceTable;
import io.jvs.core.svc.TableSnapshot;
import io.jvs.core.wire.IpProtocol;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packet core of a director: its ports, the workers that serve them, the connection and neighbour tables
 * they share, and a housekeeping thread for everything that is not per packet (connection expiry, ARP probes
 * and announcements, scheduler housekeeping, the kernel guard).
 *
 * <p>The control plane feeds it two immutable inputs: table snapshots (through the {@link ServiceTable}
 * listener, compiled into a {@link ServiceIndex}) and {@link RouteTable}s (from rtnetlink); each is published
 * with one volatile write and picked up by the workers at their next batch.
 */
public final class Dataplane implements DataplaneStatus, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dataplane.class);
    /**
     * Slots of the connection table one housekeeping step sweeps at most. A table used below this mark is swept
     * whole in one step a second, so an idle appliance wakes for housekeeping once a second, not ten times.
     */
    static final int SWEEP_SLOTS = 1 << 16;
    /** Most housekeeping steps a second: the sweep of a large table is spread over up to this many. */
    static final int MAX_STEPS_PER_SECOND = 10;
    /** After a control-plane change wakes housekeeping, how long it waits for the rest of a burst of changes. */
    static final long SETTLE_NANOS = 20_000_000L;

    private final ServiceTable table;
    private final Port[] ports;
    private final DataplaneSettings settings;
    private final LongSupplier clock;
    private final ConnectionTable connections;
    private final NeighbourTable neighbours = new NeighbourTable(1 << 16);
    private final Worker[] workers;
    private final Consumer<TableSnapshot> tableListener = this::tableChanged;
    private final KernelGuard guard;
    private final ByteBuffer controlFrame = ByteBuffer.allocate(64);
    private volatile ServiceIndex index = ServiceIndex.EMPTY;
    private volatile RouteTable routes = RouteTable.EMPTY;
    private volatile boolean controlDirty = true;
    /** The table's realserver deletions already answered by a flush of their connections (housekeeping only). */
    private long flushedDeletions;
    private volatile boolean running;
    private final List<Thread> threads = new ArrayList<>();
    /** In every worker's poll set, signalled at close so that sleeping workers return at once; null if none. */
    private Wakeup wakeup;
    private volatile Thread housekeeper;
    private int[] announced = new int[0];
    /** The kernel guard was last given deleted realservers still in use. */
    private boolean guardHoldsTrash;
    private long lastSecond;

    /**
     * @param clock milliseconds of a monotonic clock (connection timers, ARP ageing)
     */
    public Dataplane(final ServiceTable table, final List<Port> ports, final DataplaneSettings settings,
                     final LongSupplier clock) {
        for (final Port p : ports) {
            // A worker without a queue of its own would share one that is single-threaded by contract.
            if (p.queues() < settings.queues()) {
                throw new IllegalArgumentException(p.name() + " has " + p.queues() + " queue(s) for "
                        + settings.queues() + " workers");
            }
        }
        this.table = table;
        this.ports = ports.toArray(new Port[0]);
        this.settings = settings;
        this.clock = clock;
        this.connections = new ConnectionTable(settings.connections(), clock, ConnectionListener.UNBIND);
        this.guard = settings.guardKernel() ? new KernelGuard() : null;
        this.workers = new Worker[settings.queues()];
        for (int q = 0; q < workers.length; q++) {
            workers[q] = new Worker(this, q);
        }
        table.addListener(tableListener);
        table.connectionSource(this::connectionEntries);
    }

    /** A data plane on the system's monotonic clock. */
    public Dataplane(final ServiceTable table, final List<Port> ports, final DataplaneSettings settings) {
        this(table, ports, settings, () -> System.nanoTime() / 1_000_000L);
    }

    private void tableChanged(final TableSnapshot snapshot) {
        index = new ServiceIndex(snapshot);
        controlChanged();
    }

    /** New interfaces, addresses or routes from the kernel. */
    public void routes(final RouteTable newRoutes) {
        routes = newRoutes;
        controlChanged();
    }

    /** Housekeeping announces new VIPs and updates the kernel guard at once, not at its next step. */
    private void controlChanged() {
        controlDirty = true;
        final Thread t = housekeeper;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Starts one thread per worker and the housekeeping thread. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        if (wakeup == null && Arrays.stream(ports).anyMatch(p -> p.pollFd(0) >= 0)) {
            wakeup = new Wakeup();
        }
        for (int q = 0; q < workers.length; q++) {
            final Worker w = workers[q];
            final int queue = q;
            threads.add(start("jvs-worker-" + q, () -> runWorker(w, queue)));
        }
        housekeeper = start("jvs-housekeeping", this::runHousekeeping);
        threads.add(housekeeper);
    }

    private static Thread start(final String name, final Runnable body) {
        final Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void runWorker(final Worker w, final int queue) {
        if (settings.fanoutCpu()) {
            pinToFanoutCpus(queue);
        }
        final WorkerLoop loop = new WorkerLoop(w, ports, queue, wakeup == null ? -1 : wakeup.fd(), settings);
        try {
            while (running) {
                loop.step();
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException | Error e) {
            LOG.error("Worker {} stopped by a bug; its queue is no longer served", queue, e);
            throw e;
        }
    }

    /**
     * With PACKET_FANOUT_CPU, worker {@code queue} receives what CPUs {@code c % queues == queue} received: running
     * there, it is woken by a local wake-up (no inter-processor interrupt, no idle vCPU to resume) and finds the
     * frame in its own cache.
     */
    private void pinToFanoutCpus(final int queue) {
        final int[] cpus = CpuAffinity.ofMember(CpuAffinity.allowed(), queue, workers.length);
        if (cpus.length == 0) {
            LOG.warn("Worker {} is not pinned: none of this process's CPUs fans out to it ({} workers)", queue,
                    workers.length);
            return;
        }
        CpuAffinity.pin(cpus);
        LOG.info("Worker {} pinned to CPU(s) {}", queue, Arrays.toString(cpus));
    }

    private void runHousekeeping() {
        long waitMillis = 1000 / MAX_STEPS_PER_SECOND;
        while (running) {
            try {
                waitMillis = housekeeping();
            } catch (final RuntimeException e) {
                LOG.warn("Housekeeping step failed; retrying", e);
            }
            // Until the next step is due or a control-plane change unparks us (close() interrupts).
            LockSupport.parkNanos(this, waitMillis * 1_000_000L);
            if (controlDirty) {
                LockSupport.parkNanos(this, SETTLE_NANOS);
            }
        }
    }

    /**
     * One housekeeping step; public so tests and benchmarks without threads can drive it.
     *
     * @return milliseconds until the next step is due: 1000 while the slots ever used fit one step's sweep, down
     *         to 100 for a table so large that a second's sweep is spread over ten steps
     */
    public long housekeeping() {
        final long now = clock.getAsLong();
        // A full sweep of the slots ever used about every second, in as few steps as SWEEP_SLOTS allows.
        final int high = connections.highWater();
        final int steps = sweepSteps(high);
        connections.expire((int) Math.max(1, ((long) high + steps - 1) / steps));
        if (controlDirty) {
            controlDirty = false;
            final long deletions = table.deletions();
            if (deletions != flushedDeletions) {
                flushedDeletions = deletions;
                if (settings.expireNodestConn()) {
                    // As Linux since 5.9: a deleted realserver's connections end now, not at their next packet.
                    connections.expireNodest();
                }
            }
            announceVips();
            applyGuard(true);
            resolveRealservers(now);
        }
        if (now - lastSecond >= 1000) {
            lastSecond = now;
            neighbours.age(now, this::probe);
            resolveRealservers(now);
            table.expire(now);
            applyGuard(false);
        }
        return 1000 / steps;
    }

    /** Steps a second that sweep {@code highWater} slots in slices of at most {@link #SWEEP_SLOTS} (1 to 10). */
    static int sweepSteps(final int highWater) {
        return (int) Math.min(MAX_STEPS_PER_SECOND, Math.max(1, ((long) highWater + SWEEP_SLOTS - 1) / SWEEP_SLOTS));
    }

    /** One pass of worker {@code queue} over its ports, for tests and benchmarks that run without threads. */
    public int poll(final int queue) {
        return workers[queue].poll(64);
    }

    /**
     * Rewrites the kernel guard if its rules changed: at once after a control-plane change ({@code always}), and
     * each second while it holds deleted realservers in use, which leave it when their last connection ends. A
     * large table's ruleset is not rebuilt every second for nothing.
     */
    private void applyGuard(final boolean always) {
        if (guard == null) {
            return;
        }
        final List<Map.Entry<ServiceKey, DestinationState>> trashed = table.trashedInUse();
        if (always || guardHoldsTrash || !trashed.isEmpty()) {
            guard.apply(index, table.snapshot(), trashed, routes, ports);
            guardHoldsTrash = !trashed.isEmpty();
        }
    }

    /** Gratuitous ARP for each VIP that appeared since the last announcement. */
    private void announceVips() {
        final int[] vips = index.vips();
        Arrays.sort(vips);
        for (final int vip : vips) {
            if (Arrays.binarySearch(announced, vip) < 0) {
                for (final Port p : ports) {
                    if (answersFor(vip, p)) {
                        sendControl(p, Frames.gratuitousArp(controlFrame, 0, p.mac(), vip));
                    }
                }
            }
        }
        announced = vips;
    }

    private boolean answersFor(final int vip, final Port p) {
        final long hop = routes.nextHop(vip);
        return hop == -1 || (int) hop != vip || (int) (hop >>> 32) == p.ifIndex();
    }

    /** ARP for every realserver (and its gateway) whose MAC is unknown, before its first packet needs it. */
    private void resolveRealservers(final long now) {
        for (final Service s : table.snapshot().services().values()) {
            for (final Destination d : s.destinations()) {
                final int rip = d.state().ipv4();
                if (rip != 0 && d.config().method() != ForwardingMethod.TUNNEL) {
                    final long hop = routes.nextHop(rip);
                    if (hop != -1 && neighbours.lookup((int) hop) < 0 && neighbours.shouldRequest((int) hop, now)) {
                        request((int) hop, Frames.BROADCAST);
                    }
                }
            }
        }
    }

    /** Probes a stale neighbour as the kernel does: unicast to the MAC it is known at (valid while aged). */
    private void probe(final int ip) {
        request(ip, neighbours.lookup(ip));
    }

    /** An ARP request for {@code ip}, sent to Ethernet address {@code to}. */
    private void request(final int ip, final long to) {
        final long hop = routes.nextHop(ip);
        final int port = hop == -1 ? -1 : portOf((int) (hop >>> 32));
        if (port >= 0) {
            final Port p = ports[port];
            final int length = Frames.arpRequest(controlFrame, 0, p.mac(), routes.primaryAddress(p.ifIndex()), ip);
            Frames.putMac(controlFrame, 0, to);
            sendControl(p, length);
        }
    }

    private void sendControl(final Port p, final int length) {
        try {
            p.sendControl(controlFrame, 0, length);
        } catch (final RuntimeException e) {
            LOG.debug("Control frame on {} not sent: {}", p.name(), e.getMessage());
        }
    }

    /** The connection table as {@code ipvsadm -Lc} lists it. */
    public List<ConnectionEntry> connectionEntries() {
        final List<ConnectionEntry> out = new ArrayList<>();
        final ConnectionView v = new ConnectionView();
        v.apply = false;
        final long now = clock.getAsLong();
        connections.forEach(v, () -> out.add(entry(v, now)));
        return out;
    }

    private static ConnectionEntry entry(final ConnectionView v, final long now) {
        final boolean tcp = v.protocol == IpProtocol.TCP;
        final boolean template = (v.flags & ConnectionTable.F_TEMPLATE) != 0;
        final String state = tcp ? TcpState.of(v.state).name() : "UDP";
        return new ConnectionEntry(tcp ? Protocol.TCP : Protocol.UDP, endpoint(v.caddr, v.cport),
                endpoint(v.vaddr, v.vport), endpoint(v.daddr, v.dport), state, Math.max(0, v.expiresAt - now),
                template);
    }

    private static Endpoint endpoint(final int addr, final int port) {
        try {
            return new Endpoint(InetAddress.getByAddress(new byte[] {(byte) (addr >>> 24), (byte) (addr >>> 16),
                (byte) (addr >>> 8), (byte) addr}), port);
        } catch (final UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sum over workers of a {@link PathCounters} counter. */
    public long counter(final int which) {
        long sum = 0;
        for (final Worker w : workers) {
            sum += w.counters[which];
        }
        return sum;
    }

    @Override
    public List<String> interfaces() {
        final List<String> names = new ArrayList<>(ports.length);
        for (final Port p : ports) {
            names.add(p.name());
        }
        return names;
    }

    @Override
    public int workers() {
        return workers.length;
    }

    @Override
    public Map<String, Long> counters() {
        final Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < PathCounters.SIZE; i++) {
            out.put(PathCounters.name(i), counter(i));
        }
        out.put("ring_drops", ringDrops());
        return out;
    }

    /** Frames the kernel dropped because receive rings were full. */
    public long ringDrops() {
        long sum = 0;
        for (final Port p : ports) {
            sum += p.ringDrops();
        }
        return sum;
    }

    @Override
    public void close() {
        synchronized (this) {
            running = false;
        }
        if (wakeup != null) {
            wakeup.signal();
        }
        for (final Thread t : threads) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        table.removeListener(tableListener);
        table.connectionSource(null);
        if (guard != null) {
            guard.remove();
        }
        for (final Port p : ports) {
            p.close();
        }
        if (wakeup != null) {
            wakeup.close();
            wakeup = null;
        }
    }

    // ---- for the workers ----

    Port[] ports() {
        return ports;
    }

    DataplaneSettings settings() {
        return settings;
    }

    ServiceIndex index() {
        return index;
    }

    RouteTable routes() {
        return routes;
    }

    long clock() {
        return clock.getAsLong();
    }

    public ConnectionTable connections() {
        return connections;
    }

    public NeighbourTable neighbours() {
        return neighbours;
    }

    Counters totals() {
        return table.totalCounters();
    }

    /** The port serving interface {@code ifIndex}, or -1 when it is not a data-plane interface. */
    int portOf(final int ifIndex) {
        for (int i = 0; i < ports.length; i++) {
            if (ports[i].ifIndex() == ifIndex) {
                return i;
            }
        }
        return -1;
    }
}
