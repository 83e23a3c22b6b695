package io.jvs.jmh;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.jvs.core.conn.ConnectionListener;
import io.jvs.core.conn.ConnectionTable;
import io.jvs.core.conn.ConnectionView;
import io.jvs.core.conn.TcpState;
import io.jvs.core.svc.DestinationState;
import io.jvs.testkit.wire.TestFrames;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Locale;

/**
 * Heap bytes per tracked connection (target: at most 128): a {@link ConnectionTable} of capacity 1,000,000 filled
 * with 1,000,000 TCP connections, measured two ways: the heap in use before and after (after {@code System.gc()},
 * from the {@code MemoryMXBean}), and the sum of the table's own arrays, read by reflection and sized from the
 * VM's reference and header sizes (no {@code jdk.internal}). Owners (realserver states) are shared by all
 * connections and not counted. Not a JMH benchmark:
 * {@code java -cp target/benchmarks.jar io.jvs.jmh.ConnectionMemory [capacity [connections]]}; exits 1 when
 * over the target. {@code ConnectionMemoryTest} runs the same on every build.
 */
public final class ConnectionMemory {
    static final double TARGET_BYTES = 128;

    private ConnectionMemory() {
    }

    /** Bytes per connection measured both ways, and what the lines printed say. */
    public record Result(double perHeap, double perArrays, String report) {
        public boolean met() {
            return met(perHeap, perArrays);
        }

        static boolean met(final double perHeap, final double perArrays) {
            return perHeap <= TARGET_BYTES && perArrays <= TARGET_BYTES;
        }
    }

    public static void main(final String[] args) throws Exception {
        final int capacity = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        final int connections = args.length > 1 ? Integer.parseInt(args[1].replace("_", "")) : capacity;
        final Result r = measure(capacity, connections);
        System.out.print(r.report());
        System.exit(r.met() ? 0 : 1);
    }

    /** Fills a table of {@code capacity} with {@code connections} ESTABLISHED TCP connections and weighs it. */
    public static Result measure(final int capacity, final int connections) throws Exception {
        final DestinationState[] owners = Services.realserverStates(3);
        final int[] rips = new int[owners.length];
        for (int i = 0; i < owners.length; i++) {
            rips[i] = owners[i].ipv4();
        }
        final ConnectionView view = new ConnectionView();
        view.apply = false;
        final int established = TcpState.ESTABLISHED.ordinal();
        final int timeout = view.timeouts.tcp(established);
        fill(new ConnectionTable(1000, () -> 1_000_000L, ConnectionListener.UNBIND), 1000, owners, rips, view,
                established, timeout);   // loads and links every class the measured run uses

        final long empty = usedHeap();
        final ConnectionTable table = new ConnectionTable(capacity, () -> 1_000_000L, ConnectionListener.UNBIND);
        final long created = usedHeap();
        fill(table, connections, owners, rips, view, established, timeout);
        final long filled = usedHeap();
        Reference.reachabilityFence(table);

        final long arrays = retainedArrays(table);
        final double perHeap = (double) (filled - empty) / connections;
        final double perArrays = (double) arrays / connections;
        final Locale l = Locale.ROOT;
        final StringBuilder out = new StringBuilder();
        out.append(String.format(l, "JVM: %s %s, max heap %d MiB, compressed oops %s, compressed class pointers %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, vmOption("UseCompressedOops"),
                vmOption("UseCompressedClassPointers")));
        out.append(String.format(l, "connection table: capacity %,d, %,d connections tracked (size() = %,d)%n", capacity,
                connections, table.size()));
        out.append(String.format(l, "heap used: before %,d B, table created %,d B (+%,d), filled %,d B (+%,d)%n", empty,
                created, created - empty, filled, filled - created));
        out.append(String.format(l, "measured heap delta: %,d B = %.1f bytes per connection%n", filled - empty, perHeap));
        out.append(String.format(l, "table's arrays (arithmetic): %,d B = %.1f bytes per connection%n", arrays, perArrays));
        final boolean ok = Result.met(perHeap, perArrays);
        out.append(String.format(l, "target <= %.0f bytes per connection: %s%n", TARGET_BYTES, ok ? "met" : "NOT MET"));
        return new Result(perHeap, perArrays, out.toString());
    }

    private static void fill(final ConnectionTable table, final int connections, final DestinationState[] owners,
                             final int[] rips, final ConnectionView view, final int state, final int timeout) {
        final int vip = Services.VIP;
        for (int i = 0; i < connections; i++) {
            // 64 ports for each client of 100.64.0.0/10: every key distinct.
            final int caddr = 0x64400000 + (i >>> 6);
            final int cport = 1024 + (i & 63) * 997 % 64512;
            final int o = i % owners.length;
            if (!table.insert(TestFrames.TCP, caddr, cport, vip, 80, rips[o], 8080, 0, state, timeout, -1, 0, owners[o],
                    view)) {
                throw new IllegalStateException("insert " + i + " failed (table full or duplicate)");
            }
        }
    }

    /** Heap in use once the collector has had a few full passes. */
    private static long usedHeap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /**
     * Bytes of the arrays the table owns (and the lock objects they hold): each array's header plus length times
     * element size, rounded up to 8, as HotSpot lays them out.
     */
    static long retainedArrays(final ConnectionTable table) throws IllegalAccessException {
        final boolean oops = "true".equals(vmOption("UseCompressedOops"));
        final boolean klass = "true".equals(vmOption("UseCompressedClassPointers"));
        final int ref = oops ? 4 : 8;
        final int arrayHeader = klass ? 16 : 20;
        final int objectHeader = klass ? 12 : 16;
        long fields = 0;
        for (final Field f : ConnectionTable.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                fields += f.getType().isPrimitive() ? size(f.getType(), ref) : ref;
            }
        }
        long total = align(objectHeader + fields);   // the table object itself, without padding between fields
        for (final Field f : ConnectionTable.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || !f.getType().isArray()) {
                continue;
            }
            f.setAccessible(true);
            final Object a = f.get(table);
            if (a == null) {
                continue;
            }
            final Class<?> c = f.getType().getComponentType();
            final int element = c.isPrimitive() ? size(c, ref) : ref;
            final int length = java.lang.reflect.Array.getLength(a);
            total += align(arrayHeader + (long) length * element);
            if (c == Object.class) {
                for (final Object o : (Object[]) a) {
                    if (o != null && o.getClass() == Object.class) {
                        total += align(objectHeader);
                    }
                }
            }
        }
        return total;
    }

    private static int size(final Class<?> c, final int ref) {
        return c == long.class || c == double.class ? 8 : c == int.class || c == float.class ? 4
                : c == short.class || c == char.class ? 2 : c == byte.class || c == boolean.class ? 1 : ref;
    }

    private static long align(final long bytes) {
        return (bytes + 7) & ~7L;
    }

    private static String vmOption(final String name) {
        return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
    }
}
