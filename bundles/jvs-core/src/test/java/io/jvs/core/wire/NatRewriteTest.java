package io.jvs.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Incremental rewrites (RFC 1624) must produce the very bytes a full recompute produces, for every protocol,
 * family and direction: 10,000 random packets, addresses and ports from a fixed seed (reproducible).
 */
class NatRewriteTest {
    private static final int RUNS = 10_000;
    private final Random random = new Random(0x1624L);
    private final PacketValidator validator = new PacketValidator(true);

    @Test
    void shouldMatchFullRecomputeForRandomNatRewrites() {
        for (int run = 0; run < RUNS; run++) {
            final boolean v4 = random.nextBoolean();
            final int protocol = random.nextBoolean() ? IpProtocol.TCP : IpProtocol.UDP;
            final boolean noUdpChecksum = v4 && protocol == IpProtocol.UDP && random.nextInt(5) == 0;
            final ByteBuffer buf = RandomPackets.build(random, v4, protocol, noUdpChecksum);
            assertEquals(PacketValidator.OK, validator.validate(buf, 0, buf.limit()), "run " + run);
            rewrite(buf, v4, protocol, random.nextBoolean(), random.nextInt(), random.nextLong(),
                    random.nextLong(), random.nextInt(0x10000));
            assertEquals(PacketValidator.OK, validator.validate(buf, 0, buf.limit()), "run " + run);
            assertArrayEquals(fullRecompute(buf, v4, noUdpChecksum), Frames.array(buf), "run " + run);
        }
    }

    @Test
    void shouldMatchFullRecomputeWhenTheResultIsZero() {
        // Craft packets whose checksum after the rewrite is exactly 0: TCP must store 0x0000, UDP 0xffff,
        // and an incremental update starting from those values must stay exact.
        for (int run = 0; run < 200; run++) {
            final boolean v4 = run % 2 == 0;
            final int protocol = run % 4 < 2 ? IpProtocol.TCP : IpProtocol.UDP;
            final ByteBuffer buf = RandomPackets.build(random, v4, protocol, false);
            validator.validate(buf, 0, buf.limit());
            final int l4 = validator.l4Offset();
            // A payload word (even distance from the L4 start; RandomPackets keeps >= 2 payload bytes).
            final int word = l4 + (validator.l4Length() - 2 & ~1);
            final boolean src = random.nextBoolean();
            final int addr = random.nextInt();
            final long hi = random.nextLong();
            final long lo = random.nextLong();
            final int port = random.nextInt(0x10000);
            final ByteBuffer probe = ByteBuffer.wrap(Frames.array(buf));
            rewrite(probe, v4, protocol, src, addr, hi, lo, port);
            final int check = Checksums.compute(probe, l4, validator.l4Length(), Checksums.checksumOffset(protocol),
                    pseudo(probe, v4, protocol));
            // Adding the post-rewrite checksum ~S into the data makes the post-rewrite sum S + ~S = 0xffff.
            buf.putShort(word, (short) Checksums.fold((buf.getShort(word) & 0xFFFF) + (long) check));
            RandomPackets.fill(buf, validator, v4, false);
            rewrite(buf, v4, protocol, src, addr, hi, lo, port);
            final int expected = protocol == IpProtocol.UDP ? 0xffff : 0x0000;
            assertEquals(expected, buf.getShort(l4 + Checksums.checksumOffset(protocol)) & 0xFFFF, "run " + run);
            assertArrayEquals(fullRecompute(buf, v4, false), Frames.array(buf), "run " + run);
            rewrite(buf, v4, protocol, !src, random.nextInt(), random.nextLong(), random.nextLong(), run);
            assertArrayEquals(fullRecompute(buf, v4, false), Frames.array(buf), "run " + run);
        }
    }

    @Test
    void shouldMatchFullRecomputeForHeaderAndSequenceRewrites() {
        for (int run = 0; run < RUNS; run++) {
            final ByteBuffer buf = RandomPackets.build(random, true, IpProtocol.TCP, false);
            validator.validate(buf, 0, buf.limit());
            final Ipv4Header ip = validator.ipv4();
            final TcpHeader tcp = validator.tcp();
            // Header-only rewrite: the IP checksum must equal a fresh one; the L4 bytes are untouched here.
            if (random.nextBoolean()) {
                ip.rewriteSrc(random.nextInt());
            } else {
                ip.rewriteDst(random.nextInt());
            }
            if (ip.ttl() > 1) {
                ip.decrementTtl();
            }
            final int incrementalIp = ip.checksum();
            ip.fillChecksum();
            assertEquals(ip.checksum(), incrementalIp, "run " + run);
            // Sequence adjust (FNAT, synproxy): the TCP checksum must equal a fresh one.
            Checksums.fillV4(buf, ip.offset(), tcp.offset(), validator.l4Length());
            tcp.rewriteSeq(random.nextInt());
            tcp.rewriteAck(random.nextInt());
            assertArrayEquals(fullRecompute(buf, true, false), Frames.array(buf), "run " + run);
        }
    }

    private void rewrite(final ByteBuffer buf, final boolean v4, final int protocol, final boolean src,
                         final int addr, final long hi, final long lo, final int port) {
        final int ip = validator.l3Offset();
        final int l4 = validator.l4Offset();
        if (v4 && src) {
            NatRewrite.ipv4Src(buf, ip, l4, addr, port);
        } else if (v4) {
            NatRewrite.ipv4Dst(buf, ip, l4, addr, port);
        } else if (src) {
            NatRewrite.ipv6Src(buf, ip, l4, protocol, hi, lo, port);
        } else {
            NatRewrite.ipv6Dst(buf, ip, l4, protocol, hi, lo, port);
        }
    }

    private int pseudo(final ByteBuffer buf, final boolean v4, final int protocol) {
        final int ip = validator.l3Offset();
        return v4 ? Checksums.pseudoHeaderV4(buf.getInt(ip + 12), buf.getInt(ip + 16), protocol, validator.l4Length())
                : Checksums.pseudoHeaderV6(buf, ip, protocol, validator.l4Length());
    }

    /** Copy of the frame with every checksum zeroed and recomputed from scratch. */
    private byte[] fullRecompute(final ByteBuffer rewritten, final boolean v4, final boolean noUdpChecksum) {
        final ByteBuffer copy = ByteBuffer.wrap(Frames.array(rewritten));
        final int l4 = validator.l4Offset();
        if (!noUdpChecksum) {
            copy.putShort(l4 + Checksums.checksumOffset(validator.protocol()), (short) 0);
        }
        RandomPackets.fill(copy, validator, v4, noUdpChecksum);
        return Frames.array(copy);
    }
}
