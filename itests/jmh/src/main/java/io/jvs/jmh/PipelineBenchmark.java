package io.jvs.jmh;

import io.jvs.api.ConnectionEntry;
import io.jvs.api.ForwardingMethod;
import io.jvs.core.conn.ConnectionTable;
import io.jvs.core.dataplane.PathCounters;
import io.jvs.core.port.MemoryPort;
import io.jvs.testkit.wire.TestFrames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole per-packet path of one worker, in nanoseconds per packet: validation (checksums verified), L2 and
 * L3 checks, connection lookup and TCP state, scheduling for a new connection, NAT or DR rewrite, neighbour
 * lookup and transmit, on {@link MemoryPort}s in replay mode (the receive ring cycles over frames injected once,
 * transmits are only counted), so the port costs a 2 KiB-slot copy per frame and nothing else. One
 * {@code dp.poll(0)} is one batch of exactly 64 frames (checked in setup), hence
 * {@code @OperationsPerInvocation(64)}. Run with {@code -prof gc}: the established paths must allocate
 * nothing ({@code gc.alloc.rate.norm} 0 B/op).
 *
 * <ul>
 *   <li>{@link #established}: 1,024 ESTABLISHED flows (SYN then ACK each, before measuring), then ACK segments
 *       with {@code payload} bytes of those flows: {@code natIn} client to VIP through ext, {@code natOut} the
 *       realservers' replies (VIP restored) through int, {@code drIn} client to VIP with direct routing.</li>
 *   <li>{@link #newConnection}: every frame a SYN of a flow that is not in the table, so each one is a miss,
 *       a round-robin decision, an insert and the NAT rewrite. The table must forget the flows again: before
 *       each invocation ({@code Level.Invocation}, outside the measured time, fine for a ~12 µs invocation)
 *       the 64 connections the coming batch will open are removed, so the table holds about 1,024.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@Threads(1)
public class PipelineBenchmark {
    static final int BATCH = 64;
    static final int FLOWS = 1024;

    /** Base of both states: a lab director and a check that each poll forwards exactly {@link #BATCH} frames. */
    abstract static class Lab {
        MemoryLab lab;

        void verifyBatches(final int polls) {
            final long forwarded = lab.dp.counter(PathCounters.FORWARDED);
            final long rx = lab.dp.counter(PathCounters.RX);
            for (int i = 0; i < polls; i++) {
                final int n = lab.dp.poll(0);
                if (n != BATCH) {
                    throw new IllegalStateException("a poll processed " + n + " frames, not " + BATCH);
                }
            }
            lab.check(PathCounters.RX, rx + (long) polls * BATCH);
            lab.check(PathCounters.FORWARDED, forwarded + (long) polls * BATCH);
        }

        @TearDown(Level.Trial)
        public void close() {
            lab.close();
        }
    }

    @State(Scope.Thread)
    public static class Established extends Lab {
        @Param({"natIn", "natOut", "drIn"})
        public String path;

        /** TCP payload bytes per frame (checksum verification reads all of them). */
        @Param({"100"})
        public int payload;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            lab = new MemoryLab("drIn".equals(path) ? ForwardingMethod.ROUTE : ForwardingMethod.MASQ, 4 * FLOWS,
                    FLOWS);
            lab.establish(FLOWS);
            final List<byte[]> frames = new ArrayList<>();
            final MemoryPort port;
            if ("natOut".equals(path)) {
                for (final ConnectionEntry c : lab.dp.connectionEntries()) {
                    final int rs = realserver(c);
                    frames.add(TestFrames.tcp(MemoryLab.INT_MAC, MemoryLab.RS_MAC[rs], MemoryLab.RS[rs],
                            c.destination().port(), MemoryLab.CLIENT, c.client().port(), TestFrames.ACK, payload));
                }
                port = lab.in;
            } else {
                for (int f = 0; f < FLOWS; f++) {
                    frames.add(MemoryLab.fromClient(f, TestFrames.ACK, payload));
                }
                port = lab.ext;
            }
            lab.ext.replay(true);
            lab.in.replay(true);
            for (final byte[] f : frames) {
                if (!port.inject(f)) {
                    throw new IllegalStateException("receive ring full");
                }
            }
            verifyBatches(2 * FLOWS / BATCH);
            if (lab.dp.connections().size() != FLOWS) {
                throw new IllegalStateException(lab.dp.connections().size() + " connections");
            }
        }

        private static int realserver(final ConnectionEntry c) {
            final byte[] a = c.destination().address().getAddress();
            final int ip = (a[0] & 0xFF) << 24 | (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8 | (a[3] & 0xFF);
            for (int i = 0; i < MemoryLab.RS.length; i++) {
                if (MemoryLab.RS[i] == ip) {
                    return i;
                }
            }
            throw new IllegalStateException("no realserver " + c);
        }
    }

    @State(Scope.Thread)
    public static class NewConnections extends Lab {
        private ConnectionTable table;
        private int window;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            lab = new MemoryLab(ForwardingMethod.MASQ, 4 * FLOWS, FLOWS);
            table = lab.dp.connections();
            lab.ext.replay(true);
            lab.in.replay(true);
            for (int f = 0; f < FLOWS; f++) {
                if (!lab.ext.inject(MemoryLab.fromClient(f, TestFrames.SYN, 0))) {
                    throw new IllegalStateException("receive ring full");
                }
            }
            // Two rounds: the first opens every flow; the second must open them all again, as measured.
            for (int round = 0; round < 2; round++) {
                final long opened = lab.table.totals().conns();
                for (int w = 0; w < FLOWS / BATCH; w++) {
                    forgetNextWindow();
                    verifyBatches(1);
                }
                final long now = lab.table.totals().conns();
                if (now - opened != FLOWS || table.size() != FLOWS) {
                    throw new IllegalStateException("opened " + (now - opened) + ", table " + table.size());
                }
            }
            lab.check(PathCounters.REUSED, 0);
        }

        /** Removes the connections of the 64 SYNs the next poll replays, so each is new again. */
        @Setup(Level.Invocation)
        public void forgetNextWindow() {
            final int first = window * BATCH;
            for (int f = first; f < first + BATCH; f++) {
                table.remove(TestFrames.TCP, MemoryLab.CLIENT, MemoryLab.clientPort(f), MemoryLab.VIP, MemoryLab.VPORT);
            }
            window = (window + 1) % (FLOWS / BATCH);
        }
    }

    /** One batch of 64 segments of established flows. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int established(final Established s) {
        return s.lab.dp.poll(0);
    }

    /** One batch of 64 SYNs, each opening a connection. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int newConnection(final NewConnections s) {
        return s.lab.dp.poll(0);
    }
}
