package io.jvs.core.route;

/**
 * The rtnetlink protocol constants this package uses (linux/netlink.h, rtnetlink.h, if_link.h, if_addr.h).
 * Headers and attribute lengths are in host order; addresses inside attributes are in network order.
 * <pre>
 *  nlmsghdr  (16)  len u32 | type u16 | flags u16 | seq u32 | pid u32
 *  ifinfomsg (16)  family u8 | pad u8 | type u16 | index s32 | flags u32 | change u32
 *  ifaddrmsg  (8)  family u8 | prefixlen u8 | flags u8 | scope u8 | index u32
 *  rtmsg     (12)  family u8 | dst_len u8 | src_len u8 | tos u8 | table u8 | protocol u8 | scope u8 | type u8
 *                  | flags u32
 *  rtattr     (4)  len u16 | type u16, then len - 4 bytes of data; the next one starts 4-byte aligned
 * </pre>
 */
final class Rtnl {
    static final int NLMSG_HDRLEN = 16;
    static final int IFINFOMSG_LEN = 16;
    static final int IFADDRMSG_LEN = 8;
    static final int RTMSG_LEN = 12;
    static final int RTA_HDRLEN = 4;

    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int RTM_NEWLINK = 16;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_GETADDR = 22;
    static final int RTM_NEWROUTE = 24;
    static final int RTM_GETROUTE = 26;

    static final int NLM_F_REQUEST = 1;
    static final int NLM_F_DUMP_INTR = 0x10;
    static final int NLM_F_DUMP = 0x300;

    static final int RTMGRP_LINK = 1;
    static final int RTMGRP_IPV4_IFADDR = 0x10;
    static final int RTMGRP_IPV4_ROUTE = 0x40;

    /** Attribute type bits; the top two are the nested and byte-order flags. */
    static final int NLA_TYPE_MASK = 0x3FFF;
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_PRIORITY = 6;
    /** Nested RTAX_* attributes of u32. */
    static final int RTA_METRICS = 8;
    static final int RTAX_MTU = 2;
    static final int RTA_TABLE = 15;

    static final int IFF_UP = 1;
    static final int IFF_RUNNING = 0x40;
    static final int RT_TABLE_MAIN = 254;
    static final int RTN_UNICAST = 1;
    static final int RTM_F_CLONED = 0x200;

    private Rtnl() {
    }

    static int align(final int length) {
        return (length + 3) & ~3;
    }
}
