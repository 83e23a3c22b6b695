package io.jvs.jmh;

import io.jvs.core.conn.ConnectionListener;
import io.jvs.core.conn.ConnectionTable;
import io.jvs.core.conn.ConnectionView;
import io.jvs.core.conn.TcpState;
import io.jvs.core.svc.DestinationState;
import io.jvs.testkit.wire.TestFrames;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The connection table's per-packet operations with {@code connections} TCP connections tracked out of a
 * capacity of 1.25 times that, so the measure includes the cache misses a big table costs (1,000,000
 * connections are 60 MB of slots): keys are random clients and ports, visited in random order.
 *
 * <ul>
 *   <li>{@link #lookupHit}: inbound lookup of an existing ESTABLISHED connection with an ACK applied
 *       ({@code apply = true}: state machine, timer re-armed), what every packet of an established flow costs.</li>
 *   <li>{@link #lookupMiss}: inbound lookup of a key that is not there, what a new flow's SYN costs twice
 *       (the port-reuse check, then the lookup) before it is scheduled.</li>
 *   <li>{@link #insertRemove}: a new connection inserted (owner bound first, as the worker does) and removed at
 *       once (the listener unbinds the owner), so the size stays constant: the table's share of a new flow and
 *       of an ended one.</li>
 *   <li>{@link #expireSweep}: one step of the housekeeping sweep, per slot checked, over a table where nothing
 *       is due: the background cost of a full pass per second.</li>
 * </ul>
 *
 * The owner is the live state of a real realserver of a real service (built through
 * {@code ServiceTable.apply}); the listener is {@link ConnectionListener#UNBIND}, as in the data plane. The table's
 * clock is a field that stands still (the data plane's default is {@code System.nanoTime() / 1e6}, one more
 * clock read per lookup). Lookups and insert/remove (each thread has its own miss keys) run under {@code -t 2};
 * the sweep is for one thread ({@code expire} has one caller, the housekeeping thread). No allocation per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class ConnectionTableBenchmark {
    /** Slots one {@link #expireSweep} call checks. */
    static final int SWEEP = 4096;
    /** Fewest miss keys a thread cycles over. */
    static final int KEYS_PER_THREAD = 1 << 16;
    static final int MAX_THREADS = 4;
    static final int VPORT = 80;

    @State(Scope.Benchmark)
    public static class Table {
        @Param({"1000", "100000", "1000000"})
        public int connections;

        ConnectionTable table;
        DestinationState[] owners;
        int vip;
        int[] rips;
        /** Keys (client address << 16 | client port) in the table. */
        long[] keys;
        long clock = 1_000_000;
        final AtomicInteger threads = new AtomicInteger();

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            owners = Services.realserverStates(3);
            vip = Services.VIP;
            rips = new int[owners.length];
            for (int i = 0; i < owners.length; i++) {
                rips[i] = owners[i].ipv4();
            }
            table = new ConnectionTable(connections + connections / 4, () -> clock, ConnectionListener.UNBIND);
            final SplittableRandom random = new SplittableRandom(42);
            final ConnectionView view = new ConnectionView();
            view.apply = false;
            final int established = TcpState.ESTABLISHED.ordinal();
            final int timeout = view.timeouts.tcp(established);
            keys = new long[connections];
            for (int i = 0; i < connections; ) {
                final long k = randomKey(random);
                final int o = i % owners.length;
                if (table.insert(TestFrames.TCP, addr(k), port(k), vip, VPORT, rips[o], 8080, 0, established, timeout,
                        -1, 0, owners[o], view)) {
                    owners[o].bind();
                    owners[o].activated(true);
                    keys[i++] = k;
                } else if (view.slot < 0) {
                    throw new IllegalStateException("table full at " + i);
                }
            }
            if (table.size() != connections) {
                throw new IllegalStateException("size " + table.size());
            }
        }
    }

    /** A random client (100.64.0.0/10) and port (1024-65535) as {@code address << 16 | port}. */
    static long randomKey(final SplittableRandom random) {
        final int addr = 0x64400000 | random.nextInt(1 << 22);
        final int port = 1024 + random.nextInt(65536 - 1024);
        return (long) addr << 16 | port;
    }

    static int addr(final long key) {
        return (int) (key >>> 16);
    }

    static int port(final long key) {
        return (int) key & 0xFFFF;
    }

    @State(Scope.Thread)
    public static class Worker {
        /** What the lookups apply: an ACK. */
        final ConnectionView view = new ConnectionView();
        /** What an insert applies: the SYN that opens the connection. */
        final ConnectionView synView = new ConnectionView();
        /** Every key of the table once, in random order. */
        long[] hits;
        /** As many keys that are not in the table (and no other thread's: port mod 4 is the thread number). */
        long[] misses;
        int nextHit;
        int nextMiss;

        @Setup(Level.Trial)
        public void setUp(final Table t) {
            final int thread = t.threads.getAndIncrement();
            if (thread >= MAX_THREADS) {
                throw new IllegalStateException("at most " + MAX_THREADS + " threads");
            }
            final SplittableRandom random = new SplittableRandom(1000 + thread);
            hits = t.keys.clone();
            for (int i = hits.length - 1; i > 0; i--) {
                final int j = random.nextInt(i + 1);
                final long x = hits[i];
                hits[i] = hits[j];
                hits[j] = x;
            }
            final ConnectionView probe = new ConnectionView();
            probe.apply = false;
            misses = new long[Math.max(KEYS_PER_THREAD, t.connections)];
            for (int i = 0; i < misses.length; ) {
                final long k = randomKey(random) & ~3L | thread;
                if (port(k) >= 1024 && !t.table.inbound(TestFrames.TCP, addr(k), port(k), t.vip, VPORT, probe)) {
                    misses[i++] = k;
                }
            }
            view.apply = true;
            view.tcpFlags = TestFrames.ACK;
            synView.apply = true;
            synView.tcpFlags = TestFrames.SYN;
        }

        long hit() {
            final int n = nextHit;
            nextHit = n + 1 == hits.length ? 0 : n + 1;
            return hits[n];
        }

        long miss() {
            final int n = nextMiss;
            nextMiss = n + 1 == misses.length ? 0 : n + 1;
            return misses[n];
        }
    }

    @Benchmark
    public boolean lookupHit(final Table t, final Worker w) {
        final long k = w.hit();
        return t.table.inbound(TestFrames.TCP, addr(k), port(k), t.vip, VPORT, w.view);
    }

    @Benchmark
    public boolean lookupMiss(final Table t, final Worker w) {
        final long k = w.miss();
        return t.table.inbound(TestFrames.TCP, addr(k), port(k), t.vip, VPORT, w.view);
    }

    @Benchmark
    public boolean insertRemove(final Table t, final Worker w) {
        final long k = w.miss();
        final int caddr = addr(k);
        final int cport = port(k);
        final int o = (cport >>> 2) % 3;
        final DestinationState owner = t.owners[o];
        owner.bind();
        final boolean inserted = t.table.insert(TestFrames.TCP, caddr, cport, t.vip, VPORT, t.rips[o], 8080,
                ConnectionTable.F_INACTIVE, 0, 0, -1, 0, owner, w.synView);
        t.table.remove(TestFrames.TCP, caddr, cport, t.vip, VPORT);
        return inserted;
    }

    /** Checks {@link #SWEEP} slots; reported per slot. */
    @Benchmark
    @OperationsPerInvocation(SWEEP)
    public int expireSweep(final Table t) {
        return t.table.expire(SWEEP);
    }
}
