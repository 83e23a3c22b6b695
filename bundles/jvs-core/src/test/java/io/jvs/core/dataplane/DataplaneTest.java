package io.jvs.core.dataplane;

import static io.jvs.core.dataplane.MemoryDirector.CLIENT;
import static io.jvs.core.dataplane.MemoryDirector.CLIENT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.EXT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.INT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.RS;
import static io.jvs.core.dataplane.MemoryDirector.RS_MAC;
import static io.jvs.core.dataplane.MemoryDirector.VIP;
import static io.jvs.core.dataplane.MemoryDirector.realserverOf;
import static io.jvs.testkit.wire.TestFrames.ACK;
import static io.jvs.testkit.wire.TestFrames.FIN;
import static io.jvs.testkit.wire.TestFrames.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.ConnectionEntry;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceInfo;
import io.jvs.api.TableCommand;
import io.jvs.api.Timeouts;
import java.nio.ByteBuffer;
import io.jvs.core.port.MemoryPort;
import io.jvs.core.wire.Checksums;
import io.jvs.core.port.Port;
import io.jvs.testkit.wire.TestFrames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The packet path on memory ports: ARP, NAT both ways, DR, states, scheduling, persistence, expiry, drops. */
class DataplaneTest {
    private final MemoryDirector d = new MemoryDirector();

    @AfterEach
    void close() {
        d.close();
    }

    private void natService(final String sched) throws Exception {
        d.service(Protocol.TCP, 80, sched, 0);
        for (int i = 0; i < 3; i++) {
            d.real(Protocol.TCP, 80, i, 8080, ForwardingMethod.MASQ, 1);
        }
        d.learnNeighbours();
    }

    @Test
    void answersArpForVipsOnly() throws Exception {
        natService("rr");
        d.ext.inject(TestFrames.arpRequest(CLIENT_MAC, CLIENT, VIP));
        d.ext.inject(TestFrames.arpRequest(CLIENT_MAC, CLIENT, TestFrames.ip("10.77.1.1")));
        d.dp.poll(0);
        final byte[] reply = d.ext.drain();
        assertNotNull(reply);
        assertNull(d.ext.drain(), "the DIP is the kernel's to answer");
        final ByteBuffer b = ByteBuffer.wrap(reply);
        assertEquals(CLIENT_MAC, TestFrames.dstMac(reply));
        assertEquals(EXT_MAC, TestFrames.srcMac(reply));
        assertEquals(2, b.getShort(20));
        assertEquals(EXT_MAC, Frames.getMac(b, 22));
        assertEquals(VIP, b.getInt(28));
        assertEquals(CLIENT, b.getInt(38));
    }

    @Test
    void natRewritesBothDirectionsWithValidChecksumsAndTracksTcpStates() throws Exception {
        natService("rr");
        final byte[] out = d.fromClient(d.syn(40000, 80));
        assertNotNull(out);
        final int rs = realserverOf(out);
        assertTrue(rs >= 0);
        assertEquals(INT_MAC, TestFrames.srcMac(out));
        assertEquals(RS[rs], TestFrames.daddr(out));
        assertEquals(8080, TestFrames.dport(out));
        assertEquals(CLIENT, TestFrames.saddr(out), "the realserver sees the client's address");
        assertEquals(63, TestFrames.ttl(out), "forwarded: one hop, as IPVS since Linux 4.3");
        assertTrue(TestFrames.checksumsValid(out));
        assertEquals("SYN_RECV", only(d.dp.connectionEntries()).state());

        final byte[] synAck = TestFrames.tcp(INT_MAC, RS_MAC[rs], RS[rs], 8080, CLIENT, 40000, SYN | ACK, 0);
        final byte[] back = d.fromRealserver(synAck);
        assertNotNull(back);
        assertEquals(CLIENT_MAC, TestFrames.dstMac(back));
        assertEquals(EXT_MAC, TestFrames.srcMac(back));
        assertEquals(VIP, TestFrames.saddr(back));
        assertEquals(80, TestFrames.sport(back));
        assertEquals(63, TestFrames.ttl(back));
        assertTrue(TestFrames.checksumsValid(back));

        d.fromClient(TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, 40000, VIP, 80, ACK, 100));
        final ConnectionEntry c = only(d.dp.connectionEntries());
        assertEquals("ESTABLISHED", c.state());
        assertEquals(900_000, c.expiresMillis());
        final ServiceInfo info = d.table.services().get(0);
        final var dest = info.destinations().stream()
                .filter(x -> x.config().endpoint().address().equals(MemoryDirector.inet(RS[rs]))).findFirst().orElseThrow();
        assertEquals(1, dest.activeConns());
        assertEquals(0, dest.inactiveConns());
        assertEquals(1, info.stats().conns());
        assertEquals(2, info.stats().inPkts());
        assertEquals(1, info.stats().outPkts());
        assertEquals(40 + 140, info.stats().inBytes());
        assertEquals(1, d.table.totals().conns());
    }

    @Test
    void wrrGivesTheSeedsSequenceInRealTraffic() throws Exception {
        d.service(Protocol.TCP, 80, "wrr", 0);
        // Added C, B, A so the kernel's head insertion walks A, B, C.
        final int[] weights = {2, 3, 4};
        for (int i = 2; i >= 0; i--) {
            d.real(Protocol.TCP, 80, i, 80, ForwardingMethod.MASQ, weights[2 - i]);
        }
        d.learnNeighbours();
        final StringBuilder seq = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            seq.append((char) ('A' + realserverOf(d.fromClient(d.syn(41000 + i, 80)))));
        }
        // As the kernel: each -a recomputes mw and keeps cw (1 after C alone), so one pass at cw=1 comes first;
        // then the seeds' cycle.
        assertEquals("ABC" + "AABABCABC", seq.toString());
    }

    @Test
    void directRoutingChangesOnlyMacs() throws Exception {
        d.service(Protocol.TCP, 22, "rr", 0);
        d.real(Protocol.TCP, 22, 1, 22, ForwardingMethod.ROUTE, 1);
        d.learnNeighbours();
        final byte[] syn = d.syn(40001, 22);
        final byte[] out = d.fromClient(syn.clone());
        assertEquals(RS_MAC[1], TestFrames.dstMac(out));
        assertEquals(INT_MAC, TestFrames.srcMac(out));
        assertEquals(63, TestFrames.ttl(out), "the TTL is decremented, as IPVS's decrement_ttl");
        assertTrue(TestFrames.checksumsValid(out));
        final byte[] l3 = TestFrames.withTtl(syn, 63);
        Arrays.fill(l3, 0, 12, (byte) 0);
        final byte[] outL3 = out.clone();
        Arrays.fill(outL3, 0, 12, (byte) 0);
        assertArrayEquals(l3, outL3, "DR leaves the rest of the IP packet untouched");
        // Reply direction never passes a DR director; the connection follows INPUT_ONLY.
        d.fromClient(TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, 40001, VIP, 22, ACK, 0));
        assertEquals("ESTABLISHED", only(d.dp.connectionEntries()).state());
    }

    @Test
    void persistenceTemplatePinsAClient() throws Exception {
        d.service(Protocol.TCP, 80, "rr", 300);
        for (int i = 0; i < 3; i++) {
            d.real(Protocol.TCP, 80, i, 80, ForwardingMethod.MASQ, 1);
        }
        d.learnNeighbours();
        final int first = realserverOf(d.fromClient(d.syn(42000, 80)));
        for (int i = 1; i < 5; i++) {
            assertEquals(first, realserverOf(d.fromClient(d.syn(42000 + i, 80))));
        }
        final List<ConnectionEntry> entries = d.dp.connectionEntries();
        assertEquals(6, entries.size());
        final ConnectionEntry template = entries.stream().filter(ConnectionEntry::template).findFirst().orElseThrow();
        assertEquals(0, template.client().port());
        assertEquals("NONE", template.state());
        assertEquals(300_000, template.expiresMillis());
        assertEquals(1, d.table.services().get(0).destinations().stream().mapToLong(x -> x.persistentConns()).sum());
    }

    @Test
    void connectionsExpireAndGiveBackTheirCounts() throws Exception {
        natService("rr");
        d.table.apply(List.of(new TableCommand.SetTimeouts(new Timeouts(0, 0, 5))));
        d.service(Protocol.UDP, 53, "rr", 0);
        d.real(Protocol.UDP, 53, 0, 53, ForwardingMethod.MASQ, 1);
        d.fromClient(TestFrames.udp(EXT_MAC, CLIENT_MAC, CLIENT, 5353, VIP, 53, 20));
        d.fromClient(d.syn(40000, 80));
        assertEquals(2, d.dp.connections().size());
        d.clock.addAndGet(6_000);
        sweep();
        final List<ConnectionEntry> left = d.dp.connectionEntries();
        assertEquals(1, left.size(), "UDP expired after --set's 5 s");
        assertEquals("SYN_RECV", left.get(0).state());
        d.clock.addAndGet(60_000);
        sweep();
        assertEquals(0, d.dp.connections().size());
        for (final ServiceInfo s : d.table.services()) {
            s.destinations().forEach(x -> assertEquals(0, x.inactiveConns() + x.activeConns()));
        }
    }

    @Test
    void quiescentRealserverGetsNoNewConnectionsButKeepsItsOwn() throws Exception {
        natService("rr");
        final int rs = realserverOf(d.fromClient(d.syn(43000, 80)));
        d.table.apply(List.of(new TableCommand.EditDestination(MemoryDirector.key(Protocol.TCP, 80),
                MemoryDirector.dest(rs, 8080, ForwardingMethod.MASQ, 0, 0))));
        for (int i = 1; i <= 6; i++) {
            final int chosen = realserverOf(d.fromClient(d.syn(43000 + i, 80)));
            assertTrue(chosen != rs, "weight 0 takes no new connection");
        }
        assertEquals(rs, realserverOf(d.fromClient(TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, 43000, VIP, 80, ACK, 0))));
    }

    @Test
    void upperThresholdCapsARealserver() throws Exception {
        d.service(Protocol.TCP, 80, "rr", 0);
        d.table.apply(List.of(new TableCommand.AddDestination(MemoryDirector.key(Protocol.TCP, 80),
                MemoryDirector.dest(0, 80, ForwardingMethod.MASQ, 1, 2))));
        d.learnNeighbours();
        assertEquals(0, realserverOf(d.fromClient(d.syn(44000, 80))));
        assertEquals(0, realserverOf(d.fromClient(d.syn(44001, 80))));
        // Overloaded at 2: the third client gets port unreachable on ext.
        assertNull(d.fromClient(d.syn(44002, 80)));
        final byte[] icmp = d.ext.drain();
        assertNotNull(icmp);
        assertEquals(1, icmp[23]);
        assertEquals(3, icmp[34]);
        assertEquals(3, icmp[35]);
        assertEquals(CLIENT, TestFrames.daddr(icmp));
        assertEquals(1, d.dp.counter(PathCounters.DROP_NO_DESTINATION));
    }

    @Test
    void heldFrameLeavesOnceTheRealserverAnswersArp() throws Exception {
        d.service(Protocol.TCP, 80, "rr", 0);
        d.real(Protocol.TCP, 80, 2, 80, ForwardingMethod.MASQ, 1);
        final byte[] request = d.fromClient(d.syn(45000, 80));
        assertNotNull(request, "an ARP request went out on int0");
        assertEquals(0x0806, TestFrames.etherType(request));
        assertEquals(RS[2], ByteBuffer.wrap(request).getInt(38));
        assertEquals(TestFrames.ip("10.77.2.1"), ByteBuffer.wrap(request).getInt(28));
        d.in.inject(TestFrames.arpReply(INT_MAC, RS_MAC[2], RS[2], TestFrames.ip("10.77.2.1")));
        d.dp.poll(0);
        final byte[] released = d.in.drain();
        assertNotNull(released);
        assertEquals(RS_MAC[2], TestFrames.dstMac(released));
        assertEquals(1, d.dp.counter(PathCounters.RELEASED));
    }

    @Test
    void malformedAndStrayPacketsAreCountedNotForwarded() throws Exception {
        natService("rr");
        final byte[] bad = d.syn(46000, 80);
        bad[50] ^= 0x55;   // TCP checksum
        assertNull(d.fromClient(bad));
        final byte[] truncated = new byte[30];
        System.arraycopy(d.syn(46001, 80), 0, truncated, 0, 30);
        assertNull(d.fromClient(truncated));
        assertNull(d.fromClient(TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, 46002, VIP, 80, ACK, 0)));
        assertNull(d.fromClient(d.syn(46003, 81)));
        assertEquals(1, d.dp.counter(io.jvs.core.wire.PacketValidator.BAD_L4_CHECKSUM));
        assertEquals(1, d.dp.counter(io.jvs.core.wire.PacketValidator.TRUNCATED_L3));
        assertEquals(1, d.dp.counter(PathCounters.DROP_NOT_SYN));
        assertEquals(1, d.dp.counter(PathCounters.DROP_NO_SERVICE));
        assertEquals(0, d.dp.connections().size());
        // The operators' view (DataplaneStatus) says the same, by name.
        final java.util.Map<String, Long> named = d.dp.counters();
        assertEquals(4L, named.get("rx"));
        assertEquals(1L, named.get("bad_l4_checksum"));
        assertEquals(1L, named.get("truncated_l3"));
        assertEquals(1L, named.get("drop_not_syn"));
        assertEquals(1L, named.get("drop_no_service"));
        assertEquals(0L, named.get("forwarded"));
        assertEquals(PathCounters.SIZE + 1, named.size(), "every path counter and ring_drops");
        assertEquals("ring_drops", new java.util.ArrayList<>(named.keySet()).get(PathCounters.SIZE));
    }

    @Test
    void learnsNeighboursFromArpForItsAddressesAndOnlyRefreshesFromOverheardArp() throws Exception {
        natService("rr");
        final int host = TestFrames.ip("10.77.1.7");
        final int other = TestFrames.ip("10.77.1.8");
        final long hostMac = 0x0200_0000_0107L;
        // A request between two other hosts, and a gratuitous ARP: overheard, not remembered.
        d.ext.inject(TestFrames.arpRequest(hostMac, host, other));
        d.ext.inject(TestFrames.arpRequest(hostMac, host, host));
        d.dp.poll(0);
        assertEquals(-1, d.dp.neighbours().lookup(host));
        // Asking for the VIP makes an entry (and gets an answer).
        d.ext.inject(TestFrames.arpRequest(hostMac, host, VIP));
        d.dp.poll(0);
        assertNotNull(d.ext.drain());
        assertEquals(hostMac, d.dp.neighbours().lookup(host));
        // Now known, its gratuitous ARP after a failover to another NIC refreshes it.
        d.ext.inject(TestFrames.arpRequest(0x0200_0000_0207L, host, host));
        d.dp.poll(0);
        assertEquals(0x0200_0000_0207L, d.dp.neighbours().lookup(host));
        // A reply to the director's own address (its ARP request) makes an entry too.
        d.ext.inject(TestFrames.arpReply(EXT_MAC, 0x0200_0000_0108L, other, TestFrames.ip("10.77.1.1")));
        d.dp.poll(0);
        assertEquals(0x0200_0000_0108L, d.dp.neighbours().lookup(other));
    }

    @Test
    void vlanTaggedFramesAreLeftToTheKernel() throws Exception {
        natService("rr");
        final long passed = d.dp.counter(PathCounters.PASSED);
        assertNull(d.fromClient(tagged(d.syn(40_000, 80), 100)), "a tagged SYN to the VIP is not balanced");
        d.ext.inject(tagged(TestFrames.arpRequest(CLIENT_MAC, CLIENT, VIP), 100));
        d.dp.poll(0);
        assertNull(d.ext.drain(), "nor is a tagged ARP request for the VIP answered");
        assertEquals(passed + 2, d.dp.counter(PathCounters.PASSED));
        assertEquals(0, d.dp.connections().size());
        assertNotNull(d.fromClient(d.syn(40_000, 80)), "the same SYN untagged is");
    }

    /** {@code frame} with an 802.1Q tag for {@code vid} after its MACs. */
    private static byte[] tagged(final byte[] frame, final int vid) {
        final byte[] out = new byte[frame.length + 4];
        System.arraycopy(frame, 0, out, 0, 12);
        out[12] = (byte) 0x81;
        out[13] = 0x00;
        out[14] = (byte) (vid >>> 8 & 0x0F);
        out[15] = (byte) vid;
        System.arraycopy(frame, 12, out, 16, frame.length - 12);
        return out;
    }

    @Test
    void answersPingToAVip() throws Exception {
        natService("rr");
        d.ext.inject(TestFrames.ping(EXT_MAC, CLIENT_MAC, CLIENT, VIP));
        d.dp.poll(0);
        final byte[] reply = d.ext.drain();
        assertNotNull(reply);
        assertEquals(0, reply[34]);
        assertEquals(VIP, TestFrames.saddr(reply));
        assertEquals(CLIENT, TestFrames.daddr(reply));
        assertTrue(TestFrames.checksumsValid(reply));
    }

    @Test
    void synOnATimeWaitConnectionIsScheduledAnew() throws Exception {
        natService("rr");
        final int rs = realserverOf(d.fromClient(d.syn(47000, 80)));
        d.fromRealserver(TestFrames.tcp(INT_MAC, RS_MAC[rs], RS[rs], 8080, CLIENT, 47000, SYN | ACK, 0));
        d.fromClient(TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, 47000, VIP, 80, ACK, 0));
        d.fromClient(TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, 47000, VIP, 80, FIN | ACK, 0));
        d.fromRealserver(TestFrames.tcp(INT_MAC, RS_MAC[rs], RS[rs], 8080, CLIENT, 47000, FIN | ACK, 0));
        assertEquals("TIME_WAIT", only(d.dp.connectionEntries()).state());
        final int again = realserverOf(d.fromClient(d.syn(47000, 80)));
        // rr walks the list newest first (2, 1, 0): the new SYN goes to the one after rs.
        assertEquals(rs == 0 ? 2 : rs - 1, again, "rescheduled: rr moved on");
        assertEquals("SYN_RECV", only(d.dp.connectionEntries()).state());
        assertEquals(1, d.dp.counter(PathCounters.REUSED));
    }

    @Test
    void icmpErrorFromARealserverIsRewrittenForTheClient() throws Exception {
        d.service(Protocol.UDP, 53, "rr", 0);
        d.real(Protocol.UDP, 53, 0, 5353, ForwardingMethod.MASQ, 1);
        d.learnNeighbours();
        final byte[] query = d.fromClient(TestFrames.udp(EXT_MAC, CLIENT_MAC, CLIENT, 33000, VIP, 53, 12));
        // rs1 has nothing on 5353: port unreachable quoting the query as it received it.
        final ByteBuffer err = ByteBuffer.allocate(14 + 20 + 8 + 28);
        Frames.portUnreachable(ByteBuffer.wrap(query), 0, 14, 40, err, 0, RS_MAC[0]);
        Frames.putMac(err, 0, INT_MAC);
        final byte[] out = d.fromRealserver(err.array());
        assertNotNull(out);
        assertEquals(VIP, TestFrames.saddr(out));
        final ByteBuffer o = ByteBuffer.wrap(out);
        assertEquals(VIP, o.getInt(42 + 16), "the quoted destination is the VIP again");
        assertEquals(53, o.getShort(42 + 20 + 2));
        assertTrue(TestFrames.checksumsValid(out));
        assertEquals(1, d.dp.counter(PathCounters.ICMP_RELAYED));
    }

    /**
     * Path MTU discovery through NAT (ip_vs_in_icmp): the client says the VIP's segment was too big; the error goes
     * to the realserver that sent it, addressed to it and quoting its own address and port, every checksum valid.
     */
    @Test
    void fragmentationNeededFromTheClientReachesTheRealserver() throws Exception {
        natService("rr");
        final int rs = realserverOf(d.fromClient(d.syn(41_000, 80)));
        // What the client received from the VIP (the realserver's SYN-ACK after SNAT), quoted in its error.
        final byte[] synAck = TestFrames.tcp(CLIENT_MAC, EXT_MAC, VIP, 80, CLIENT, 41_000, SYN | ACK, 0);
        final ByteBuffer err = ByteBuffer.allocate(14 + 20 + 8 + 28);
        Frames.portUnreachable(ByteBuffer.wrap(synAck), 0, 14, 40, err, 0, CLIENT_MAC);
        Frames.putMac(err, 0, EXT_MAC);
        err.put(35, (byte) 4);                        // code 4: fragmentation needed
        err.putShort(40, (short) 1400);               // next-hop MTU
        IcmpRelay.fillChecksum(err, 34, 14 + 20 + 8 + 28);
        final byte[] out = d.fromClient(err.array());
        assertNotNull(out, "relayed to the realserver");
        assertEquals(RS_MAC[rs], TestFrames.dstMac(out));
        assertEquals(CLIENT, TestFrames.saddr(out));
        assertEquals(RS[rs], TestFrames.daddr(out));
        final ByteBuffer o = ByteBuffer.wrap(out);
        assertEquals(3, o.get(34));
        assertEquals(4, o.get(35));
        assertEquals(1400, o.getShort(40), "the MTU passes unchanged");
        assertEquals(RS[rs], o.getInt(42 + 12), "the quote's source is the realserver again");
        assertEquals(8080, o.getShort(42 + 20) & 0xFFFF, "and its port");
        assertEquals(CLIENT, o.getInt(42 + 16));
        assertTrue(TestFrames.checksumsValid(out), "outer IP and ICMP checksums");
        assertTrue(Checksums.verify(o, 42, 20), "the quoted IP header's checksum");
        assertEquals(1, d.dp.counter(PathCounters.ICMP_RELAYED));
    }

    /**
     * Two workers, each driven by its own thread through its own queue, schedule into one connection table:
     * every SYN leaves through the queue it came in on, and a flow opened on one queue is found from the other.
     */
    @Test
    void workersOnTheirOwnQueuesShareOneConnectionTable() throws Exception {
        final int flows = 2000;
        try (MemoryDirector two = new MemoryDirector(DataplaneSettings.DEFAULTS.withConnections(1 << 14).withQueues(2))) {
            two.service(Protocol.TCP, 80, "rr", 0);
            for (int i = 0; i < 3; i++) {
                two.real(Protocol.TCP, 80, i, 8080, ForwardingMethod.MASQ, 1);
            }
            two.learnNeighbours();
            final int[][] chosen = new int[2][flows];
            final AtomicReferenceArray<Throwable> failures = new AtomicReferenceArray<>(2);
            final CountDownLatch start = new CountDownLatch(1);
            final List<Thread> threads = new ArrayList<>();
            for (int q = 0; q < 2; q++) {
                final int queue = q;
                final Thread t = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < flows; i++) {
                            chosen[queue][i] = realserverOf(two.fromClient(queue, two.syn(10_000 * (queue + 1) + i, 80)));
                        }
                    } catch (final Throwable e) {
                        failures.set(queue, e);
                    }
                }, "queue-" + q);
                t.start();
                threads.add(t);
            }
            start.countDown();
            for (final Thread t : threads) {
                t.join(30_000);
                assertFalse(t.isAlive(), t.getName() + " still running");
            }
            for (int q = 0; q < 2; q++) {
                assertNull(failures.get(q));
                for (int i = 0; i < flows; i++) {
                    assertTrue(chosen[q][i] >= 0, "SYN " + i + " of queue " + q + " did not come out");
                }
            }
            assertEquals(2 * flows, two.dp.connections().size());
            assertEquals(0, two.dp.counter(PathCounters.DROP_TX_FULL));
            // Queue 0's first flow, acknowledged through queue 1, goes where queue 0 sent it.
            final byte[] ack = TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, 10_000, VIP, 80, ACK, 0);
            assertEquals(chosen[0][0], realserverOf(two.fromClient(1, ack)));
        }
    }

    @Test
    void aPortWithFewerQueuesThanWorkersIsRefused() {
        final List<Port> ports = List.of(new MemoryPort("ext0", 2, EXT_MAC, 16, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Dataplane(d.table, ports, DataplaneSettings.DEFAULTS.withQueues(2).withGuardKernel(false)));
    }

    private void sweep() {
        d.dp.connections().expire(d.dp.connections().capacity());
    }

    private static ConnectionEntry only(final List<ConnectionEntry> entries) {
        final List<ConnectionEntry> conns = new ArrayList<>();
        for (final ConnectionEntry e : entries) {
            if (!e.template()) {
                conns.add(e);
            }
        }
        assertEquals(1, conns.size(), conns.toString());
        return conns.get(0);
    }
}
