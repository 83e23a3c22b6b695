package io.jvs.core.svc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.DestinationConfig;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceKey;
import io.jvs.api.SyncDaemon;
import io.jvs.api.TableCommand;
import io.jvs.api.TableCommand.AddDestination;
import io.jvs.api.TableCommand.AddService;
import io.jvs.api.TableException;
import io.jvs.api.TableException.Reason;
import io.jvs.api.Timeouts;
import io.jvs.api.TunnelChecksum;
import io.jvs.api.TunnelType;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceTableTest {
    private final ServiceTable table = new ServiceTable();

    private static InetAddress ip(final String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static ServiceKey tcp(final String vip, final int port) throws Exception {
        return ServiceKey.of(Protocol.TCP, ip(vip), port);
    }

    private static ServiceConfig svc(final ServiceKey key, final String sched) {
        return new ServiceConfig(key, sched, false, 0, ServiceConfig.HOST_MASK_V4, false, 0);
    }

    private static DestinationConfig dest(final String rip, final int port, final int weight) throws Exception {
        return DestinationConfig.of(new Endpoint(ip(rip), port), ForwardingMethod.MASQ, weight);
    }

    @Test
    void shouldPutNewDestinationAtTheHeadAsTheKernelDoes() throws Exception {
        final ServiceKey key = tcp("10.0.0.1", 80);
        table.apply(List.of(new AddService(svc(key, "rr")), new AddDestination(key, dest("10.1.0.1", 80, 1)),
                new AddDestination(key, dest("10.1.0.2", 80, 1)), new AddDestination(key, dest("10.1.0.3", 80, 1))));
        final List<String> order = table.service(key).orElseThrow().destinations().stream()
                .map(d -> d.config().endpoint().toString()).toList();
        assertEquals(List.of("10.1.0.3:80", "10.1.0.2:80", "10.1.0.1:80"), order);
        assertEquals(1, table.generation());
    }

    @Test
    void shouldRefuseWholeBatchWhenOneCommandFails() throws Exception {
        final ServiceKey a = tcp("10.0.0.1", 80);
        final ServiceKey missing = tcp("10.0.0.9", 80);
        final TableException e = assertThrows(TableException.class, () -> table.apply(List.of(
                new AddService(svc(a, "rr")), new AddDestination(a, dest("10.1.0.1", 80, 1)),
                new AddDestination(missing, dest("10.1.0.2", 80, 1)))));
        assertEquals(Reason.NO_SERVICE, e.reason());
        assertEquals(2, e.commandIndex());
        assertTrue(table.services().isEmpty(), "nothing of a refused batch is applied");
        assertEquals(0, table.generation());
    }

    @Test
    void shouldReportKernelErrors() throws Exception {
        final ServiceKey key = tcp("10.0.0.1", 80);
        table.apply(new AddService(svc(key, "wlc")));
        assertReason(Reason.EXISTS, new AddService(svc(key, "rr")));
        assertReason(Reason.NO_SCHEDULER, new AddService(svc(tcp("10.0.0.2", 80), "bogus")));
        assertReason(Reason.NO_SERVICE, new TableCommand.DeleteService(tcp("10.0.0.3", 80)));
        assertReason(Reason.NO_DESTINATION, new TableCommand.EditDestination(key, dest("10.1.0.1", 80, 2)));
        assertReason(Reason.NO_DESTINATION, new TableCommand.DeleteDestination(key, new Endpoint(ip("10.1.0.1"), 80)));
        table.apply(new AddDestination(key, dest("10.1.0.1", 80, 1)));
        assertReason(Reason.EXISTS, new AddDestination(key, dest("10.1.0.1", 80, 5)));
        assertReason(Reason.INVALID, new AddService(svc(tcp("10.0.0.4", 0), "rr")));
        assertReason(Reason.INVALID, new AddService(
                new ServiceConfig(tcp("10.0.0.5", 53), "rr", false, 0, -1, true, 0)));
        assertReason(Reason.OUT_OF_RANGE, new AddDestination(key, new DestinationConfig(
                new Endpoint(ip("10.1.0.2"), 80), ForwardingMethod.ROUTE, 1, 10, 20, TunnelType.IPIP, 0,
                TunnelChecksum.NOCSUM)));
        assertReason(Reason.INVALID, new AddDestination(key, new DestinationConfig(
                new Endpoint(ip("10.1.0.2"), 80), ForwardingMethod.TUNNEL, 1, 0, 0, TunnelType.GUE, 0,
                TunnelChecksum.NOCSUM)));
        assertReason(Reason.NO_DEVICE, new TableCommand.StartDaemon(
                new SyncDaemon(SyncDaemon.State.MASTER, "no-such-if0", 0, 0, null, 0, 0)));
        assertReason(Reason.NO_DAEMON, new TableCommand.StopDaemon(SyncDaemon.State.BACKUP));
    }

    @Test
    void shouldKeepLiveStateAcrossEditsAndClearOverloadWhenThresholdRaised() throws Exception {
        final ServiceKey key = tcp("10.0.0.1", 80);
        final DestinationConfig capped = new DestinationConfig(new Endpoint(ip("10.1.0.1"), 80),
                ForwardingMethod.MASQ, 1, 10, 0, TunnelType.IPIP, 0, TunnelChecksum.NOCSUM);
        table.apply(List.of(new AddService(svc(key, "rr")), new AddDestination(key, capped)));
        final DestinationState state = table.snapshot().services().get(key).destinations().get(0).state();
        for (int i = 0; i < 7; i++) {
            state.bind();
            state.activated(true);
        }
        assertFalse(state.isOverloaded(), "7 connections stay under the upper threshold of 10");
        state.overloaded(true);
        table.apply(new TableCommand.EditService(svc(key, "wlc")));
        table.apply(new TableCommand.EditDestination(key, new DestinationConfig(capped.endpoint(),
                ForwardingMethod.MASQ, 3, 10, 0, TunnelType.IPIP, 0, TunnelChecksum.NOCSUM)));
        assertTrue(state.isOverloaded(), "same upper threshold keeps the flag");
        table.apply(new TableCommand.EditDestination(key, new DestinationConfig(capped.endpoint(),
                ForwardingMethod.MASQ, 3, 20, 0, TunnelType.IPIP, 0, TunnelChecksum.NOCSUM)));
        assertFalse(state.isOverloaded(), "a raised upper threshold clears the flag");
        final var info = table.service(key).orElseThrow();
        assertEquals("wlc", info.config().scheduler());
        assertEquals(3, info.destinations().get(0).config().weight());
        assertEquals(7, info.destinations().get(0).activeConns());
    }

    @Test
    void shouldZeroCountersWithoutChangingGeneration() throws Exception {
        final ServiceKey key = tcp("10.0.0.1", 80);
        table.apply(List.of(new AddService(svc(key, "rr")), new AddDestination(key, dest("10.1.0.1", 80, 1))));
        final Service s = table.snapshot().services().get(key);
        s.counters().addConnection();
        s.counters().addIn(100);
        s.destinations().get(0).state().counters().addOut(60);
        table.totalCounters().addIn(100);
        assertEquals(1, table.service(key).orElseThrow().stats().conns());
        final long gen = table.generation();
        table.apply(new TableCommand.Zero(null));
        assertEquals(0, table.service(key).orElseThrow().stats().inBytes());
        assertEquals(0, table.service(key).orElseThrow().destinations().get(0).stats().outPkts());
        assertEquals(gen, table.generation());
        assertEquals(0, table.totals().inBytes(), "-Z without a service zeroes the totals too");
        assertReason(Reason.NO_SERVICE, new TableCommand.Zero(tcp("10.9.9.9", 1)));
    }

    @Test
    void shouldKeepCurrentTimeoutsForZeroAndTrackDaemons() throws Exception {
        table.apply(new TableCommand.SetTimeouts(new Timeouts(259200, 0, 0)));
        assertEquals(new Timeouts(259200, 120, 300), table.timeouts());
        table.apply(new TableCommand.StartDaemon(new SyncDaemon(SyncDaemon.State.BACKUP, "lo", 7, 0, null, 0, 0)));
        table.apply(new TableCommand.StartDaemon(new SyncDaemon(SyncDaemon.State.MASTER, "lo", 7, 0, null, 0, 0)));
        assertEquals(SyncDaemon.State.MASTER, table.daemons().get(0).state());
        assertReason(Reason.DAEMON_RUNNING,
                new TableCommand.StartDaemon(new SyncDaemon(SyncDaemon.State.MASTER, "lo", 1, 0, null, 0, 0)));
        table.apply(new TableCommand.StopDaemon(SyncDaemon.State.MASTER));
        assertEquals(1, table.daemons().size());
    }

    @Test
    void shouldAcceptRegisteredCustomSchedulerNames() throws Exception {
        assertReason(Reason.NO_SCHEDULER, new AddService(svc(tcp("10.0.0.1", 80), "mine")));
        table.addSchedulerName("mine");
        table.apply(new AddService(svc(tcp("10.0.0.1", 80), "mine")));
        assertEquals("mine", table.services().get(0).config().scheduler());
    }

    @Test
    void shouldFallBackWhenASchedulerFailsToTakeItsRealservers() throws Exception {
        final ServiceKey key = tcp("10.0.0.1", 80);
        table.addScheduler(new io.jvs.api.sched.Scheduler() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public io.jvs.api.sched.ServiceScheduler create(final io.jvs.api.sched.SchedulerContext context) {
                return new io.jvs.api.sched.ServiceScheduler() {
                    @Override
                    public void update(final List<? extends io.jvs.api.sched.RealServer> destinations) {
                        if (!destinations.isEmpty()) {
                            throw new IllegalStateException("a bug in a scheduler bundle");
                        }
                    }

                    @Override
                    public io.jvs.api.sched.RealServer schedule(final io.jvs.api.sched.Flow flow) {
                        throw new AssertionError("never asked once it failed");
                    }
                };
            }
        });
        table.apply(List.of(new AddService(svc(key, "broken")), new AddDestination(key, dest("10.1.0.1", 80, 1))));
        final ServiceState state = table.snapshot().services().get(key).state();
        assertTrue(state.isFallback(), "round robin instead of a scheduler left on old loads");
        assertEquals("10.1.0.1", state.schedule(new io.jvs.testkit.sched.TestFlow()).config().endpoint().address()
                .getHostAddress());
        assertEquals(1, state.fallbackDecisions());
    }

    private void assertReason(final Reason reason, final TableCommand command) {
        final TableException e = assertThrows(TableException.class, () -> table.apply(command));
        assertEquals(reason, e.reason(), e.getMessage());
    }
}
