package io.jvs.testkit.wire;

import static io.jvs.testkit.wire.TestFrames.ip;

/**
 * Addresses of the NAT lab ({@code itests/lab}) as the in-memory directors of the tests and benchmarks wire it:
 * ext (10.77.1.1/24, ifindex 2) towards the client 10.77.1.2, int (10.77.2.1/24, ifindex 3) towards realservers
 * 10.77.2.11-13; VIP 10.77.1.100. Plain values: each director builds its ports, routes and data plane from them.
 * The arrays are shared: read them, never write them.
 */
public final class NatLab {
    public static final int EXT_IFINDEX = 2;
    public static final int INT_IFINDEX = 3;
    public static final String EXT_NAME = "ext0";
    public static final String INT_NAME = "int0";
    public static final long EXT_MAC = 0x0200_0000_0001L;
    public static final long INT_MAC = 0x0200_0000_0002L;
    public static final int EXT_IP = ip("10.77.1.1");
    public static final int INT_IP = ip("10.77.2.1");
    public static final int EXT_NET = ip("10.77.1.0");
    public static final int INT_NET = ip("10.77.2.0");
    public static final int PREFIX = 24;

    public static final long CLIENT_MAC = 0x0200_0000_00C1L;
    public static final int CLIENT = ip("10.77.1.2");
    public static final int VIP = ip("10.77.1.100");
    public static final int[] RS = {ip("10.77.2.11"), ip("10.77.2.12"), ip("10.77.2.13")};
    public static final long[] RS_MAC = {0x0200_0000_0011L, 0x0200_0000_0012L, 0x0200_0000_0013L};

    private NatLab() {
    }
}
