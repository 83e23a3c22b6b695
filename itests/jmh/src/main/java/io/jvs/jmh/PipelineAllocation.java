package io.jvs.jmh;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The exact allocation of the packet path, in bytes per packet, of the {@link PipelineBenchmark} variants: the
 * worker thread's own allocation counter ({@code com.sun.management.ThreadMXBean}) around 12.8 million packets,
 * three rounds, after setup. {@code -prof gc} sums every thread of the JVM (JMH's own included), so it shows a
 * few thousandths of a byte per operation even for a path that allocates nothing; this shows 0 then.
 * {@code java -cp target/benchmarks.jar io.jvs.jmh.PipelineAllocation [polls]}; exits 1 when a steady-state
 * round (the 2nd or 3rd) allocated.
 */
public final class PipelineAllocation {
    private PipelineAllocation() {
    }

    public static void main(final String[] args) throws Exception {
        final long polls = args.length > 0 ? Long.parseLong(args[0]) : 200_000;
        final com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long self = Thread.currentThread().getId();
        boolean clean = true;
        for (final String variant : new String[] {"natIn", "natOut", "drIn", "newConnection"}) {
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
            for (int round = 1; round <= 3; round++) {
                final long before = mx.getThreadAllocatedBytes(self);
                long packets = 0;
                for (long i = 0; i < polls; i++) {
                    if (fresh != null) {
                        fresh.forgetNextWindow();
                    }
                    packets += state.lab.dp.poll(0);
                }
                final long bytes = mx.getThreadAllocatedBytes(self) - before;
                System.out.printf(Locale.ROOT, "%-13s round %d: %,d packets, %,d bytes allocated = %.6f B/packet%n",
                        variant, round, packets, bytes, (double) bytes / packets);
                clean &= round == 1 || bytes == 0;
            }
            state.close();
        }
        System.exit(clean ? 0 : 1);
    }
}
