package io.jvs.jmh;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The exact allocation of the packet path, in bytes per packet, of the {@link PipelineBenchmark} variants: the
 * worker thread's own allocation counter ({@code com.sun.management.ThreadMXBean}) around 12.8 million packets,
 * three rounds, after setup. {@code -prof gc} sums every thread of the JVM (JMH's own included), so it shows a
 * few thousandths of a byte per operation even for a path that allocates nothing; this shows 0 then.
 * {@code java -cp target/benchmarks.jar io.jvs.jmh.PipelineAllocation [polls]}; exits 1 when a steady-state
 * round (the 2nd or 3rd) allocated. {@code PipelineAllocationTest} runs the same on every build.
 */
public final class PipelineAllocation {
    private PipelineAllocation() {
    }

    public static void main(final String[] args) throws Exception {
        final long polls = args.length > 0 ? Long.parseLong(args[0]) : 200_000;
        boolean clean = true;
        for (final String variant : VARIANTS) {
            final long[] bytes = measure(variant, polls, 3, (round, packets, allocated) -> System.out.printf(Locale.ROOT,
                    "%-13s round %d: %,d packets, %,d bytes allocated = %.6f B/packet%n", variant, round, packets,
                    allocated, (double) allocated / packets));
            clean &= bytes[1] == 0 && bytes[2] == 0;
        }
        System.exit(clean ? 0 : 1);
    }

    /** The variants of {@link PipelineBenchmark}: three established paths and new connections. */
    public static final String[] VARIANTS = {"natIn", "natOut", "drIn", "newConnection"};

    /** What one round measured: its number (from 1), packets forwarded, bytes the calling thread allocated. */
    public interface Round {
        void report(int round, long packets, long bytes);
    }

    /**
     * Runs {@code rounds} rounds of {@code polls} polls of one variant on the calling thread; the first warms up,
     * and while the JIT still recompiles, a deoptimisation can allocate the objects it had scalar-replaced.
     *
     * @return bytes allocated in each round
     */
    public static long[] measure(final String variant, final long polls, final int rounds, final Round report)
            throws Exception {
        final com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long self = Thread.currentThread().getId();
        final PipelineBenchmark.Lab state;
        final PipelineBenchmark.NewConnections fresh;
        if ("newConnection".equals(variant)) {
            fresh = new PipelineBenchmark.NewConnections();
            fresh.setUp();
            state = fresh;
        } else {
            fresh = null;
            final PipelineBenchmark.Established e = new PipelineBenchmark.Established();
            e.path = variant;
            e.payload = 100;
            e.setUp();
            state = e;
        }
        final long[] bytes = new long[rounds];
        try {
            for (int round = 1; round <= rounds; round++) {
                final long before = mx.getThreadAllocatedBytes(self);
                long packets = 0;
                for (long i = 0; i < polls; i++) {
                    if (fresh != null) {
                        fresh.forgetNextWindow();
                    }
                    packets += state.lab.dp.poll(0);
                }
                bytes[round - 1] = mx.getThreadAllocatedBytes(self) - before;
                report.report(round, packets, bytes[round - 1]);
            }
        } finally {
            state.close();
        }
        return bytes;
    }
}
