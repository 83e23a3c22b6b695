package io.jvs.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The hot-path promise of DESIGN.md section 4, checked directly: after warm-up, 100,000 rounds of wrap, read,
 * validate and rewrite allocate nothing on this thread. The JMH {@code -prof gc} gate stays the reference;
 * this test keeps regressions out of every build.
 *
 * <p>Tolerance: {@value #TOLERANCE_BYTES} bytes in total, i.e. under 0.05 byte per round. One allocation per
 * round, even a 16-byte object, would show as 1.6 MB, so the margin hides nothing real; it only absorbs
 * one-off JVM activity charged to the thread (a late class load or deoptimisation).
 */
class WireAllocationTest {
    private static final int ROUNDS = 100_000;
    private static final long TOLERANCE_BYTES = 4096;

    private final PacketValidator validator = new PacketValidator(true);
    private final EthernetHeader eth = new EthernetHeader();
    private final Ipv4Header ipv4 = new Ipv4Header();
    private final TcpHeader tcp = new TcpHeader();
    private final ArpPacket arp = new ArpPacket();
    private long sink;

    @Test
    void shouldNotAllocateWhenWrappingReadingValidatingAndRewriting() {
        final java.lang.management.ThreadMXBean platform = ManagementFactory.getThreadMXBean();
        assumeTrue(platform instanceof com.sun.management.ThreadMXBean, "HotSpot thread allocation counter");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) platform;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        final ByteBuffer heapSyn = Frames.buffer(Frames.SYN_V4);
        final ByteBuffer directV6 = ByteBuffer.allocateDirect(Frames.bytes(Frames.UDP_V6).length)
                .put(0, Frames.bytes(Frames.UDP_V6));
        final ByteBuffer dns = Frames.buffer(Frames.DNS_V4);
        final ByteBuffer arpFrame = Frames.buffer(Frames.ARP_REQUEST);

        rounds(ROUNDS, heapSyn, directV6, dns, arpFrame);                       // warm-up: interpreter, C1, C2
        final long before = threads.getCurrentThreadAllocatedBytes();
        rounds(ROUNDS, heapSyn, directV6, dns, arpFrame);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(allocated <= TOLERANCE_BYTES, allocated + " bytes allocated in " + ROUNDS + " rounds");
        // 200,000 incremental NAT and sequence rewrites later, every checksum still verifies.
        assertEquals(PacketValidator.OK, validator.validate(heapSyn, 0, heapSyn.limit()));
        assertEquals(PacketValidator.OK, validator.validate(directV6, 0, directV6.limit()));
        assertTrue(new Ipv4Header().wrap(dns, 14).verifyChecksum());
        assertTrue(sink != 0);
    }

    private void rounds(final int n, final ByteBuffer syn, final ByteBuffer v6, final ByteBuffer dns,
                        final ByteBuffer arpFrame) {
        long acc = 0;
        for (int i = 0; i < n; i++) {
            acc += validator.validate(syn, 0, syn.limit());
            NatRewrite.ipv4Dst(syn, 14, 34, 0x0a00_0000 | i, 8000 + (i & 0xFF));
            NatRewrite.ipv4Src(syn, 14, 34, 0xc000_0200 | i & 0xFF, 1024 + (i & 0x3FF));
            acc += ipv4.wrap(syn, 14).checksum() + ipv4.src() + ipv4.totalLength();
            tcp.wrap(syn, 34).rewriteSeq(i * 31);
            acc += tcp.mss() + tcp.flags() + tcp.checksum() + tcp.findOption(TcpHeader.OPT_WSCALE);
            acc += eth.wrap(syn, 0).dstMac() + eth.l3Offset(syn.limit());

            acc += validator.validate(v6, 0, v6.limit());
            NatRewrite.ipv6Dst(v6, 14, 54, IpProtocol.UDP, 0xfd00L << 48, i, 53);
            acc += validator.ipv6().dstLo() + validator.udp().checksum();
            acc += validator.validate(dns, 0, dns.limit()) + Checksums.sum(dns, 34, 37, 0);
            ipv4.wrap(dns, 14).rewriteSrc(i);                                  // header only: L4 goes stale
            ipv4.rewriteDst(~i);
            acc += ipv4.checksum();

            acc += validator.validate(arpFrame, 0, arpFrame.limit());
            arp.wrap(arpFrame, 14).toReply(i);
            acc += arp.senderMac() + arp.targetIp();
        }
        sink += acc;
    }
}
