package io.jvs.core.wire;

import java.nio.ByteBuffer;

/**
 * Golden frames, written field by field as a capture would show them. Checksums were computed independently
 * (a plain RFC 1071 sum, outside this code base) so the tests check our arithmetic against them.
 * Hosts: client 192.0.2.10 / 2001:db8::10, MAC 52:54:00:12:34:56; VIP 198.51.100.1 / 2001:db8::1 on the
 * director, MAC 52:54:00:ab:cd:ef.
 */
final class Frames {
    static final long CLIENT_MAC = 0x5254_0012_3456L;
    static final long LB_MAC = 0x5254_00ab_cdefL;
    static final int CLIENT_IP = 0xc000_020a;
    static final int VIP = 0xc633_6401;
    static final long V6_HI = 0x2001_0db8_0000_0000L;
    static final long CLIENT6_LO = 0x10L;
    static final long VIP6_LO = 0x1L;

    private static final String ETH_TO_LB_V4 = "525400abcdef" + "525400123456" + "0800";
    private static final String ETH_TO_LB_V6 = "525400abcdef" + "525400123456" + "86dd";
    private static final String V6_CLIENT_TO_VIP = "20010db8000000000000000000000010" + "20010db8000000000000000000000001";

    /** 74 bytes: Linux-style SYN 192.0.2.10:50000 to VIP:80 with MSS, SACK-permitted, timestamps, window scale. */
    static final String SYN_V4 = ETH_TO_LB_V4
            + "45" + "00" + "003c"          // version 4, IHL 5; DSCP 0; total length 60
            + "1c46" + "4000"               // id 0x1c46; DF, offset 0
            + "40" + "06" + "3237"          // TTL 64; TCP; header checksum
            + "c000020a" + "c6336401"       // 192.0.2.10 -> 198.51.100.1
            + "c350" + "0050"               // ports 50000 -> 80
            + "5fa1d2e0" + "00000000"       // seq; ack 0
            + "a0" + "02" + "faf0"          // data offset 10 words (40 bytes); SYN; window 64240
            + "2df5" + "0000"               // TCP checksum; urgent pointer
            + "020405b4"                    // MSS 1460
            + "0402"                        // SACK permitted
            + "080a" + "009a3c1e" + "00000000" // timestamps TSval, TSecr
            + "01"                          // NOP
            + "030307";                     // window scale 7

    /** 60 bytes: SYN-ACK VIP:80 to client, MSS only; 58 bytes padded with 2 zero bytes to the Ethernet minimum. */
    static final String SYNACK_V4 = "525400123456" + "525400abcdef" + "0800"
            + "45" + "00" + "002c"          // total length 44
            + "0000" + "4000"               // id 0; DF
            + "40" + "06" + "4e8d"          // TTL 64; TCP; header checksum
            + "c6336401" + "c000020a"       // 198.51.100.1 -> 192.0.2.10
            + "0050" + "c350"               // ports 80 -> 50000
            + "9b2e0001" + "5fa1d2e1"       // seq; ack = client ISN + 1
            + "60" + "12" + "ffff"          // data offset 6 words; SYN|ACK; window 65535
            + "1a84" + "0000"               // TCP checksum; urgent pointer
            + "020405b4"                    // MSS 1460
            + "0000";                       // Ethernet padding, not part of the datagram

    /** 71 bytes: DNS query for example.com A, 192.0.2.10:54321 to VIP:53. */
    static final String DNS_V4 = ETH_TO_LB_V4
            + "45" + "00" + "0039"          // total length 57
            + "3e2a" + "0000"               // id; no flags
            + "40" + "11" + "504b"          // TTL 64; UDP; header checksum
            + "c000020a" + "c6336401"
            + "d431" + "0035"               // ports 54321 -> 53
            + "0025" + "c3c2"               // UDP length 37; checksum
            + "abcd" + "0100" + "0001" + "0000" + "0000" + "0000" // DNS id, RD, 1 question
            + "076578616d706c6503636f6d00"  // "example" "com"
            + "0001" + "0001";              // type A, class IN

    /** 74 bytes: ICMP echo request id 0x1f42 seq 1 with 32 bytes of data. */
    static final String PING_V4 = ETH_TO_LB_V4
            + "45" + "00" + "003c"          // total length 60
            + "5c1b" + "4000"               // id; DF
            + "40" + "01" + "f266"          // TTL 64; ICMP; header checksum
            + "c000020a" + "c6336401"
            + "08" + "00" + "e6ba"          // echo request, code 0, checksum
            + "1f42" + "0001"               // identifier, sequence
            + "101112131415161718191a1b1c1d1e1f" + "202122232425262728292a2b2c2d2e2f";

    /** 60 bytes: ARP request "who has 198.51.100.1? tell 192.0.2.10", broadcast, padded. */
    static final String ARP_REQUEST = "ffffffffffff" + "525400123456" + "0806"
            + "0001" + "0800" + "06" + "04" + "0001" // Ethernet, IPv4, hlen 6, plen 4, request
            + "525400123456" + "c000020a"   // sender MAC, IP
            + "000000000000" + "c6336401"   // target MAC unknown, IP asked for
            + "000000000000000000000000000000000000"; // 18 bytes padding

    /** The director's reply to {@link #ARP_REQUEST}, same length. */
    static final String ARP_REPLY = "525400123456" + "525400abcdef" + "0806"
            + "0001" + "0800" + "06" + "04" + "0002" // reply
            + "525400abcdef" + "c6336401"   // sender: the director for the VIP
            + "525400123456" + "c000020a"   // target: the requester
            + "000000000000000000000000000000000000";

    /** 60 bytes: ACK on VLAN 100 (802.1Q tag), 58 bytes padded with 2. */
    static final String ACK_VLAN = "525400abcdef" + "525400123456"
            + "8100" + "0064"               // TPID 802.1Q; PCP 0, DEI 0, VID 100
            + "0800"                        // inner ethertype IPv4
            + "45" + "00" + "0028" + "1c47" + "4000" + "40" + "06" + "324a" + "c000020a" + "c6336401"
            + "c350" + "0050" + "5fa1d2e1" + "9b2e0002"
            + "50" + "10" + "01f6"          // data offset 5; ACK; window 502
            + "304b" + "0000"
            + "0000";                       // padding

    /** 60 bytes: UDP 8080 -> 4789 sent without checksum (field 0, legal over IPv4), padded with 10. */
    static final String UDP_NO_CHECKSUM_V4 = ETH_TO_LB_V4
            + "45" + "00" + "0024" + "0001" + "0000" + "40" + "11" + "8e89" + "c000020a" + "c6336401"
            + "1f90" + "12b5" + "0010" + "0000" // ports; length 16; checksum 0 = none
            + "0800000000000100"            // VXLAN header, VNI 1
            + "00000000000000000000";

    /** 94 bytes: SYN [2001:db8::10]:50000 to [2001:db8::1]:80. */
    static final String SYN_V6 = ETH_TO_LB_V6
            + "60000000"                    // version 6, traffic class 0, flow label 0
            + "0028" + "06" + "40"          // payload length 40; next header TCP; hop limit 64
            + V6_CLIENT_TO_VIP
            + "c350" + "0050" + "1a2b3c4d" + "00000000"
            + "a0" + "02" + "fd20" + "f315" + "0000"
            + "020405a0" + "0402" + "080a" + "0001e240" + "00000000" + "01" + "030307";

    /** 74 bytes: UDP [2001:db8::10]:54321 to [2001:db8::1]:53 carrying "hello, world". */
    static final String UDP_V6 = ETH_TO_LB_V6
            + "60000000" + "0014" + "11" + "40" + V6_CLIENT_TO_VIP
            + "d431" + "0035" + "0014" + "8f90" // ports; length 20; checksum
            + "68656c6c6f2c20776f726c64";

    /** 70 bytes: ICMPv6 echo request id 0x0a0b seq 1. */
    static final String PING_V6 = ETH_TO_LB_V6
            + "60000000" + "0010" + "3a" + "40" + V6_CLIENT_TO_VIP
            + "80" + "00" + "0a12"          // echo request 128, code 0, checksum (pseudo-header included)
            + "0a0b" + "0001" + "0102030405060708";

    /** 74 bytes: UDP behind a hop-by-hop options header (PadN), exercising the extension walk. */
    static final String HBH_UDP_V6 = ETH_TO_LB_V6
            + "60000000" + "0014" + "00" + "40" + V6_CLIENT_TO_VIP // next header 0: hop-by-hop
            + "11" + "00" + "0104" + "00000000" // next UDP; length 0 (8 bytes); PadN of 4
            + "d432" + "0035" + "000c" + "cbe5" + "01020304";

    private Frames() {
    }

    /** A heap buffer holding the frame, position 0, limit = frame length. */
    static ByteBuffer buffer(final String hex) {
        return ByteBuffer.wrap(bytes(hex));
    }

    static byte[] bytes(final String hex) {
        final byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
        }
        return out;
    }

    static byte[] array(final ByteBuffer buf) {
        final byte[] out = new byte[buf.limit()];
        buf.get(0, out);
        return out;
    }
}
