package io.jvs.core.svc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.DestinationConfig;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceKey;
import io.jvs.api.TableCommand.AddDestination;
import io.jvs.api.TableCommand.AddService;
import io.jvs.api.TableCommand.Clear;
import io.jvs.api.TableCommand.DeleteDestination;
import io.jvs.api.TableCommand.DeleteService;
import io.jvs.api.TableException;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deleted realservers wait in the table's trash, as the kernel's {@code dest_trash}, to be added again. */
class DestinationTrashTest {
    private final ServiceTable table = new ServiceTable();
    private ServiceKey key;
    private Endpoint rs;

    @BeforeEach
    void service() throws Exception {
        key = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.1"), 80);
        rs = new Endpoint(InetAddress.getByName("10.1.0.1"), 80);
        table.apply(List.of(new AddService(new ServiceConfig(key, "rr", false, 0, ServiceConfig.HOST_MASK_V4, false, 0)),
                new AddDestination(key, dest(1))));
    }

    private DestinationConfig dest(final int weight) {
        return DestinationConfig.of(rs, ForwardingMethod.MASQ, weight);
    }

    private Service svc() {
        return table.snapshot().services().get(key);
    }

    private DestinationState state() {
        return svc().destinations().get(0).state();
    }

    @Test
    void addingADeletedRealserverAgainRevivesIt() throws Exception {
        final DestinationState first = state();
        first.bind();
        first.activated(true);
        first.counters().addConnection();
        table.apply(new DeleteDestination(key, rs));
        assertFalse(first.isAvailable());
        assertEquals(1, table.trash().size());

        table.apply(new AddDestination(key, dest(3)));
        assertSame(first, state(), "the same realserver, as its connections point to it");
        assertTrue(first.isAvailable());
        assertEquals(3, first.weight(), "with the settings of the add");
        assertEquals(1, first.activeConns());
        assertEquals(1, first.counters().snapshot().conns());
        assertEquals(0, table.trash().size(), "taken out of the trash");
    }

    @Test
    void deletingAndAddingInOneBatchRevivesIt() throws Exception {
        final DestinationState first = state();
        table.apply(List.of(new DeleteDestination(key, rs), new AddDestination(key, dest(2))));
        assertSame(first, state());
        assertTrue(first.isAvailable());
        assertEquals(2, first.weight());
        assertEquals(0, table.trash().size());
    }

    @Test
    void aRefusedBatchRevivesNothing() throws Exception {
        final DestinationState first = state();
        table.apply(new DeleteDestination(key, rs));
        final ServiceKey missing = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.9"), 80);
        assertThrows(TableException.class, () -> table.apply(List.of(new AddDestination(key, dest(2)),
                new AddDestination(missing, dest(1)))));
        assertFalse(first.isAvailable(), "still deleted");
        assertEquals(1, first.weight());
        assertEquals(1, table.trash().size(), "still in the trash");
        assertTrue(svc().destinations().isEmpty());
    }

    @Test
    void theTrashForgetsARealserverNothingPointedToForAPeriod() throws Exception {
        final DestinationState first = state();
        first.bind();
        table.apply(new DeleteDestination(key, rs));
        table.expire(0);
        table.expire(DestinationTrash.PERIOD_MILLIS * 2);
        assertEquals(1, table.trash().size(), "kept while a connection points to it");

        first.unbind(false);
        final long idle = DestinationTrash.PERIOD_MILLIS * 3;
        table.expire(idle);
        table.expire(idle + DestinationTrash.PERIOD_MILLIS - 1);
        assertEquals(1, table.trash().size(), "kept for a period after the last one went");
        table.expire(idle + DestinationTrash.PERIOD_MILLIS);
        assertEquals(0, table.trash().size());

        table.apply(new AddDestination(key, dest(1)));
        assertNotSame(first, state(), "a new realserver");
        assertTrue(first.activeConns() + first.inactiveConns() == 0 && !first.isAvailable());
    }

    /**
     * As the kernel's trash is keyed by the service's address, not its object: {@code ipvsadm -C} then {@code -R}
     * takes the same realservers back with their connections; as {@code __ip_vs_update_dest} for another service
     * object, their counters start from 0, and add to the new service's.
     */
    @Test
    void aRecreatedServiceRevivesItsRealservers() throws Exception {
        final DestinationState first = state();
        first.bind();
        first.counters().addConnection();
        table.apply(new Clear());
        assertFalse(first.isAvailable(), "deleted with its service");
        assertEquals(1, table.trash().size());

        table.apply(List.of(new AddService(config(key)), new AddDestination(key, dest(2))));
        assertSame(first, state(), "the same realserver");
        assertTrue(first.isAvailable());
        assertEquals(2, first.weight());
        assertEquals(1, first.inactiveConns(), "its connection still counts");
        assertEquals(0, first.counters().snapshot().conns(), "its counters start again (ip_vs_zero_stats)");
        assertEquals(0, table.trash().size());
        first.serviceCounters().addIn(100);
        assertEquals(100, svc().counters().snapshot().inBytes(), "its traffic counts in the new service");
    }

    @Test
    void clearAndRestoreInOneBatchRevivesThem() throws Exception {
        final DestinationState first = state();
        table.apply(List.of(new Clear(), new AddService(config(key)), new AddDestination(key, dest(1))));
        assertSame(first, state());
        assertTrue(first.isAvailable());
        assertEquals(0, table.trash().size());
        assertEquals(0, table.deletions(), "never deleted: the batch took it back, so it never stopped serving");
    }

    @Test
    void deletionsCountEveryRealserverThatLeaves() throws Exception {
        table.apply(List.of(new AddDestination(key, DestinationConfig.of(
                new Endpoint(InetAddress.getByName("10.1.0.2"), 80), ForwardingMethod.MASQ, 1))));
        table.apply(new DeleteDestination(key, rs));
        assertEquals(1, table.deletions());
        table.apply(new Clear());
        assertEquals(2, table.deletions(), "the one left, with its service");
        table.apply(new AddService(config(key)));
        assertEquals(2, table.deletions());
    }

    @Test
    void onlyAServiceOfTheSameKeyRevivesARealserver() throws Exception {
        final DestinationState first = state();
        table.apply(new DeleteService(key));
        final ServiceKey other = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.1"), 8080);
        final ServiceKey udp = ServiceKey.of(Protocol.UDP, InetAddress.getByName("10.0.0.1"), 80);
        table.apply(List.of(new AddService(config(other)), new AddDestination(other, dest(1)),
                new AddService(config(udp)), new AddDestination(udp, dest(1))));
        assertNotSame(first, table.snapshot().services().get(other).destinations().get(0).state());
        assertNotSame(first, table.snapshot().services().get(udp).destinations().get(0).state());
        assertFalse(first.isAvailable());
        assertEquals(1, table.trash().size(), "still waiting for its own service");
    }

    private static ServiceConfig config(final ServiceKey k) {
        return new ServiceConfig(k, "rr", false, 0, ServiceConfig.HOST_MASK_V4, false, 0);
    }
}
