package io.jvs.core.route;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds rtnetlink datagrams by hand, as the kernel lays them out, with room to get lengths wrong on purpose. */
final class NetlinkMessages {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int RTN_BROADCAST = 3;
    static final int RT_TABLE_LOCAL = 255;

    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.nativeOrder());
    private int start;

    NetlinkMessages begin(final int type, final int flags, final int seq) {
        start = buf.position();
        buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
        return this;
    }

    /** Sets the current message's length to what was written. */
    NetlinkMessages end() {
        buf.putInt(start, buf.position() - start);
        return this;
    }

    /** Sets the current message's length to {@code length}, whatever was written. */
    NetlinkMessages endWithLength(final int length) {
        buf.putInt(start, length);
        return this;
    }

    NetlinkMessages u8(final int value) {
        buf.put((byte) value);
        return this;
    }

    NetlinkMessages u16(final int value) {
        buf.putShort((short) value);
        return this;
    }

    NetlinkMessages u32(final int value) {
        buf.putInt(value);
        return this;
    }

    NetlinkMessages attr(final int type, final byte[] data) {
        buf.putShort((short) (Rtnl.RTA_HDRLEN + data.length)).putShort((short) type).put(data);
        while ((buf.position() & 3) != 0) {
            buf.put((byte) 0);
        }
        return this;
    }

    NetlinkMessages attrU32(final int type, final int value) {
        return attr(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    /** An address attribute: network order. */
    NetlinkMessages attrAddress(final int type, final String dotted) {
        return attr(type, ByteBuffer.allocate(4).putInt(Ipv4.of(dotted)).array());
    }

    NetlinkMessages attrString(final int type, final String value) {
        return attr(type, Arrays.copyOf(value.getBytes(StandardCharsets.UTF_8), value.length() + 1));
    }

    /** An attribute header claiming {@code length} bytes, with nothing after it. */
    NetlinkMessages attrHeader(final int type, final int length) {
        buf.putShort((short) length).putShort((short) type);
        return this;
    }

    NetlinkMessages link(final int seq, final int index, final int flags, final String name, final byte[] mac,
                         final int mtu) {
        begin(Rtnl.RTM_NEWLINK, 2, seq).u8(0).u8(0).u16(1).u32(index).u32(flags).u32(0);
        attrString(Rtnl.IFLA_IFNAME, name).attrU32(Rtnl.IFLA_MTU, mtu);
        if (mac != null) {
            attr(Rtnl.IFLA_ADDRESS, mac);
        }
        return end();
    }

    NetlinkMessages address(final int seq, final int index, final int prefixLength, final String local) {
        return begin(Rtnl.RTM_NEWADDR, 2, seq).u8(AF_INET).u8(prefixLength).u8(0x80).u8(0).u32(index)
                .attrAddress(Rtnl.IFA_ADDRESS, local).attrAddress(Rtnl.IFA_LOCAL, local).end();
    }

    /** The route header; attributes follow, then {@link #end()}. */
    NetlinkMessages routeHeader(final int seq, final int family, final int prefixLength, final int table,
                                final int type, final int flags) {
        return begin(Rtnl.RTM_NEWROUTE, 2, seq).u8(family).u8(prefixLength).u8(0).u8(0).u8(table).u8(3).u8(0)
                .u8(type).u32(flags);
    }

    NetlinkMessages done(final int seq) {
        return begin(Rtnl.NLMSG_DONE, 2, seq).u32(0).end();
    }

    /** What was written, as the parser receives a datagram: from 0 to its limit, host order. */
    ByteBuffer datagram() {
        return ByteBuffer.wrap(Arrays.copyOf(buf.array(), buf.position())).order(ByteOrder.nativeOrder());
    }
}
