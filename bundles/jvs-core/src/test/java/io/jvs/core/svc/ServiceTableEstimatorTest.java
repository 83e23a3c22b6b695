package io.jvs.core.svc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.DestinationConfig;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceKey;
import io.jvs.api.TableCommand;
import io.jvs.api.TableCommand.AddDestination;
import io.jvs.api.TableCommand.AddService;
import io.jvs.core.stats.Counters;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The table feeds its estimator the counters of its current snapshot; the tests tick it by hand. */
class ServiceTableEstimatorTest {
    private final ServiceTable table = new ServiceTable();
    private ServiceKey web;
    private ServiceKey mail;

    @BeforeEach
    void setUp() throws Exception {
        web = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.1"), 80);
        mail = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.1"), 25);
        table.apply(List.of(new AddService(svc(web)), new AddDestination(web, dest("10.1.0.1"))));
        // Stop the 2 s timer so that only the test ticks.
        table.close();
    }

    @AfterEach
    void tearDown() {
        table.close();
    }

    private static ServiceConfig svc(final ServiceKey key) {
        return new ServiceConfig(key, "rr", false, 0, ServiceConfig.HOST_MASK_V4, false, 0);
    }

    private static DestinationConfig dest(final String rip) throws Exception {
        return DestinationConfig.of(new Endpoint(InetAddress.getByName(rip), 80), ForwardingMethod.MASQ, 1);
    }

    private Service service(final ServiceKey key) {
        return table.snapshot().services().get(key);
    }

    /** 1000 packets in through the service, its first realserver and the totals, as the packet path counts. */
    private static void traffic(final Counters... counters) {
        for (final Counters c : counters) {
            for (int i = 0; i < 1000; i++) {
                c.addIn(100);
            }
        }
    }

    private void trafficThrough(final ServiceKey key) {
        final Service s = service(key);
        traffic(s.counters(), s.destinations().get(0).state().counters(), table.totalCounters());
    }

    @Test
    void shouldEstimateTotalsServicesAndRealservers() {
        trafficThrough(web);
        table.estimator().tick();
        // 1000 packets of 100 bytes per 2 s: first step of the averages, 125 pps and 12500 B/s.
        assertEquals(125, table.totals().inPps());
        assertEquals(12500, table.totals().inBps());
        assertEquals(125, table.service(web).orElseThrow().stats().inPps());
        assertEquals(125, table.service(web).orElseThrow().destinations().get(0).stats().inPps());
    }

    @Test
    void shouldEstimateNewServicesFromTheirFirstTick() throws Exception {
        trafficThrough(web);
        table.estimator().tick();
        table.apply(List.of(new AddService(svc(mail)), new AddDestination(mail, dest("10.1.0.2"))));
        trafficThrough(mail);
        table.estimator().tick();
        assertEquals(125, table.service(mail).orElseThrow().stats().inPps());
        assertEquals(125, table.service(mail).orElseThrow().destinations().get(0).stats().inPps());
        // web had no traffic this time: avg 128000 falls to 96000, shown 94.
        assertEquals(94, table.service(web).orElseThrow().stats().inPps());
    }

    @Test
    void shouldKeepEstimatingAcrossEditsAndDropRemovedOnes() throws Exception {
        trafficThrough(web);
        table.estimator().tick();
        final Counters gone = service(web).destinations().get(0).state().counters();
        table.apply(List.of(new TableCommand.EditService(svc(web)),
                new TableCommand.DeleteDestination(web, dest("10.1.0.1").endpoint())));
        traffic(service(web).counters(), gone);
        table.estimator().tick();
        assertEquals(219, table.service(web).orElseThrow().stats().inPps(), "an edit keeps the averages");
        assertEquals(125, gone.rates().inPps(), "a removed realserver is no longer estimated");
        final Counters deleted = service(web).counters();
        table.apply(new TableCommand.DeleteService(web));
        traffic(deleted);
        table.estimator().tick();
        assertEquals(219, deleted.rates().inPps(), "a removed service is no longer estimated");
    }

    @Test
    void shouldResetRatesOnZero() throws Exception {
        for (int i = 0; i < 5; i++) {
            trafficThrough(web);
            table.estimator().tick();
        }
        assertEquals(381, table.service(web).orElseThrow().stats().inPps());
        table.apply(new TableCommand.Zero(null));
        assertEquals(0, table.service(web).orElseThrow().stats().inPps());
        assertEquals(0, table.service(web).orElseThrow().destinations().get(0).stats().inPps());
        trafficThrough(web);
        table.estimator().tick();
        assertEquals(125, table.service(web).orElseThrow().stats().inPps(), "the average starts afresh");
        assertEquals(125, table.service(web).orElseThrow().destinations().get(0).stats().inPps());
    }

    @Test
    void shouldStartTheTimerWithTheFirstCommandAndStopItOnClose() throws Exception {
        final ServiceTable fresh = new ServiceTable();
        assertFalse(fresh.estimator().isRunning(), "a table only read owns no thread");
        fresh.apply(new AddService(svc(web)));
        assertTrue(fresh.estimator().isRunning());
        fresh.close();
        assertFalse(fresh.estimator().isRunning());
        fresh.apply(new AddService(svc(mail)));
        assertFalse(fresh.estimator().isRunning(), "a closed table does not restart it");
    }
}
