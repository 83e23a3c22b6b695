package io.jvs.core.route;

import static io.jvs.core.route.Ipv4.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jvs.core.os.ContextSwitches;
import io.jvs.core.os.NetNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The monitor against the kernel: a namespace of its own per test, with a veth pair jvs0/jvs1 (10.77.1.2/24 on
 * jvs0, default via 10.77.1.1), configured with {@code ip} as an operator would, and followed live.
 */
class RouteMonitorNamespaceTest {
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final String THREAD = "jvs-route-monitor";

    private final BlockingQueue<RouteTable> published = new LinkedBlockingQueue<>();
    private String namespace;

    @BeforeEach
    void createNamespace() throws Exception {
        assumeTrue(Ip.root(), "needs root for network namespaces");
        assumeTrue(Ip.available(), "needs iproute2's ip");
        namespace = "jvs-t-route-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Ip.run("netns", "add", namespace);
        ip("link", "add", "jvs0", "type", "veth", "peer", "name", "jvs1");
        ip("link", "set", "jvs0", "mtu", "1400");
        ip("link", "set", "jvs0", "up");
        ip("link", "set", "jvs1", "up");
        ip("addr", "add", "10.77.1.2/24", "dev", "jvs0");
        ip("route", "add", "default", "via", "10.77.1.1");
    }

    @AfterEach
    void deleteNamespace() {
        if (namespace != null) {
            Ip.run("netns", "del", namespace);
        }
    }

    @Test
    void shouldDumpTheNamespaceAsIpShowsIt() throws Exception {
        try (RouteMonitor monitor = openInNamespace(published::add)) {
            final RouteTable table = monitor.current();
            assertSame(table, published.poll(), "first table published before the constructor returns");
            final String json = ip("-j", "link", "show", "dev", "jvs0");
            final Link jvs0 = table.link("jvs0");
            assertNotNull(jvs0, table.toString());
            assertEquals(Integer.parseInt(field(json, "ifindex", "(\\d+)")), jvs0.index());
            assertEquals(Long.parseLong(field(json, "address", "\"([0-9a-f:]{17})\"").replace(":", ""), 16),
                    jvs0.mac());
            assertTrue(jvs0.mac() != 0);
            assertEquals(1400, jvs0.mtu());
            assertTrue(jvs0.up());
            assertFalse(table.link("lo").up(), "lo of a new namespace is down");
            final int index = jvs0.index();
            assertEquals(List.of(new InterfaceAddress(index, 0x0A4D0102, 24)), table.addresses());
            // Exactly these two: the local and broadcast routes of the local table are not ours.
            assertEquals(Set.of(new Route(of("10.77.1.0"), 24, 0, index, 0),
                    new Route(0, 0, of("10.77.1.1"), index, 0)), Set.copyOf(table.routes()));
            assertEquals(((long) index << 32) | of("10.77.1.1"), table.nextHop(of("8.8.8.8")));
            assertEquals(((long) index << 32) | of("10.77.1.9"), table.nextHop(of("10.77.1.9")));
            assertTrue(table.isLocal(of("10.77.1.2")));
            assertEquals(of("10.77.1.2"), table.primaryAddress(index));
            assertEquals(0, monitor.malformedMessages());
        }
    }

    @Test
    void shouldFollowAddressRouteAndLinkChanges() throws Exception {
        final BlockingQueue<String> threads = new LinkedBlockingQueue<>();
        try (RouteMonitor monitor = openInNamespace(t -> {
            threads.add(Thread.currentThread().getName());
            published.add(t);
        })) {
            final int jvs0 = monitor.current().link("jvs0").index();
            final int jvs1 = monitor.current().link("jvs1").index();

            ip("addr", "add", "10.77.2.2/24", "dev", "jvs1");
            await(monitor, t -> t.addresses().contains(new InterfaceAddress(jvs1, of("10.77.2.2"), 24))
                    && t.routes().contains(new Route(of("10.77.2.0"), 24, 0, jvs1, 0)));

            ip("route", "add", "192.0.2.0/24", "via", "10.77.2.1", "metric", "5");
            final RouteTable routed = await(monitor,
                    t -> t.routes().contains(new Route(of("192.0.2.0"), 24, of("10.77.2.1"), jvs1, 5)));
            assertEquals(((long) jvs1 << 32) | of("10.77.2.1"), routed.nextHop(of("192.0.2.9")));

            // A route's own MTU (ip route ... mtu), and a link's MTU changed live: both bound the path.
            ip("route", "add", "198.51.100.0/24", "via", "10.77.2.1", "mtu", "1280");
            ip("link", "set", "jvs1", "mtu", "1450");
            final RouteTable sized = await(monitor, t -> t.link("jvs1").mtu() == 1450
                    && t.routes().contains(new Route(of("198.51.100.0"), 24, of("10.77.2.1"), jvs1, 0, 1280)));
            assertEquals(1280, sized.pathMtu(of("198.51.100.7")));
            assertEquals(1450, sized.pathMtu(of("192.0.2.9")));
            assertEquals(1400, sized.pathMtu(of("10.77.1.9")));

            // Down, jvs1 takes its routes with it, and jvs0 loses its carrier: both are down to the core.
            ip("link", "set", "jvs1", "down");
            await(monitor, t -> !t.link("jvs1").up() && !t.link("jvs0").up()
                    && t.routes().stream().noneMatch(r -> r.ifIndex() == jvs1));

            ip("addr", "del", "10.77.1.2/24", "dev", "jvs0");
            final RouteTable removed = await(monitor, t -> !t.isLocal(of("10.77.1.2"))
                    && !t.routes().contains(new Route(of("10.77.1.0"), 24, 0, jvs0, 0)));
            assertEquals(0, removed.primaryAddress(jvs0));
            assertEquals(0, monitor.malformedMessages());
            threads.poll();                                                   // the constructor's own call
            assertEquals(Set.of(THREAD), Set.copyOf(threads));
        }
    }

    @Test
    void shouldCatchUpWithABurstOfChanges() throws Exception {
        final Path batch = Files.createTempFile("jvs-routes", ".batch");
        try (RouteMonitor monitor = openInNamespace(published::add)) {
            final StringBuilder commands = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                commands.append("route add 10.100.").append(i).append(".0/24 via 10.77.1.").append(10 + i % 50)
                        .append('\n');
            }
            Files.writeString(batch, commands);
            ip("-batch", batch.toString());
            final RouteTable all = await(monitor, t -> t.routes().size() == 202);
            assertEquals(of("10.77.1.59"), RouteTable.hopAddress(all.nextHop(of("10.100.199.7"))));
        } finally {
            Files.delete(batch);
        }
    }

    @Test
    void shouldResynchroniseAfterLosingNotifications() throws Exception {
        final CountDownLatch blocked = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();
        final Path batch = Files.createTempFile("jvs-routes", ".batch");
        try (RouteMonitor monitor = openInNamespace(t -> {
            published.add(t);
            if (calls.getAndIncrement() == 1) {
                blocked.countDown();
                awaitQuietly(release);
            }
        })) {
            ip("addr", "add", "10.77.9.2/24", "dev", "jvs1");
            assertTrue(blocked.await(5, TimeUnit.SECONDS), "listener called for the address");
            // The thread is held in the listener: thousands of notifications overflow its socket (ENOBUFS).
            final StringBuilder commands = new StringBuilder();
            for (int i = 0; i < 4000; i++) {
                commands.append("route add 10.").append(128 + i / 256).append('.').append(i % 256)
                        .append(".0/24 via 10.77.9.1\n");
            }
            Files.writeString(batch, commands);
            ip("-batch", batch.toString());
            release.countDown();
            await(monitor, t -> t.routes().size() == 4003);
        } finally {
            release.countDown();
            Files.delete(batch);
        }
    }

    @Test
    @SuppressWarnings("try")                                          // the namespace is entered, not read
    void shouldDumpOnceWhatTheMonitorSees() {
        try (RouteMonitor monitor = openInNamespace(published::add)) {
            final RouteTable once;
            try (NetNamespace in = NetNamespace.enter(namespace)) {
                once = RouteMonitor.dump();
            }
            assertEquals(monitor.current(), once);
            assertNull(RouteMonitor.dump().link("jvs0"), "the host namespace is not the test's");
        }
    }

    @Test
    void shouldSurviveAFailingListenerAndStopOnClose() throws Exception {
        final AtomicInteger calls = new AtomicInteger();
        final RouteMonitor monitor = openInNamespace(t -> {
            // Counted before it is published: await() returns as soon as the table is, and the count is asserted.
            final int call = calls.getAndIncrement();
            published.add(t);
            if (call > 0) {
                throw new IllegalStateException("listener bug");
            }
        });
        try {
            ip("addr", "add", "10.77.3.2/24", "dev", "jvs1");
            await(monitor, t -> t.isLocal(of("10.77.3.2")));
            ip("addr", "add", "10.77.4.2/24", "dev", "jvs1");
            await(monitor, t -> t.isLocal(of("10.77.4.2")));
            assertTrue(calls.get() >= 3, "the listener threw and was called again");
            assertTrue(monitorThreadAlive());
        } finally {
            monitor.close();
        }
        assertFalse(monitorThreadAlive());
    }

    /** With nothing changing the monitor sleeps in poll(2): no timer wakes it (it used to, ten times a second). */
    @Test
    void shouldSleepWhileNothingChanges() throws Exception {
        try (RouteMonitor monitor = openInNamespace(published::add)) {
            Thread.sleep(200);
            final long before = ContextSwitches.of(THREAD);
            Thread.sleep(1500);
            final long woken = ContextSwitches.of(THREAD) - before;
            assertTrue(woken <= 2, "the idle monitor was switched in " + woken + " times in 1.5 s");
            // Still awake to changes.
            ip("addr", "add", "10.77.3.2/24", "dev", "jvs1");
            await(monitor, t -> t.isLocal(of("10.77.3.2")));
        }
        assertFalse(monitorThreadAlive());
    }

    /** Opens the monitor inside the test's namespace and steps back out, as the core will. */
    @SuppressWarnings("try")
    private RouteMonitor openInNamespace(final Consumer<RouteTable> listener) {
        final Path self = Path.of("/proc/thread-self/ns/net");
        final String before = readLink(self);
        final RouteMonitor monitor;
        try (NetNamespace in = NetNamespace.enter(namespace)) {
            assertFalse(before.equals(readLink(self)));
            monitor = new RouteMonitor(listener);
        }
        assertEquals(before, readLink(self));
        return monitor;
    }

    /** Waits for the listener to get a table that satisfies {@code condition}, which current() then shows too. */
    private RouteTable await(final RouteMonitor monitor, final Predicate<RouteTable> condition)
            throws InterruptedException {
        final long deadline = System.nanoTime() + DEADLINE_NANOS;
        RouteTable last = null;
        while (last == null || !condition.test(last)) {
            final long left = deadline - System.nanoTime();
            final RouteTable next = left > 0 ? published.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                fail("no matching table within 5 s; last: " + (last != null ? last : monitor.current()));
            }
            last = next;
        }
        assertTrue(condition.test(monitor.current()), monitor.current().toString());
        return last;
    }

    private String ip(final String... args) {
        return Ip.in(namespace, args);
    }

    private static String field(final String json, final String name, final String value) {
        final Matcher m = Pattern.compile("\"" + name + "\":" + value).matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }

    private static String readLink(final Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (final java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitQuietly(final CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean monitorThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(THREAD) && t.isAlive());
    }
}
