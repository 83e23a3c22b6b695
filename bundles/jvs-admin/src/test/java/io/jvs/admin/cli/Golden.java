package io.jvs.admin.cli;

/**
 * Expected listings, derived from ipvsadm 1.31's printf formats. Each line ends with '|' so trailing blanks stay
 * visible (text blocks would strip them); {@link #lines} removes the markers.
 */
final class Golden {
    private Golden() {
    }

    static String lines(final String marked) {
        return marked.replace("|\n", "\n");
    }

    static final String DEFAULT = lines("""
            IP Virtual Server version 1.2.1 (size=4096)|
            Prot LocalAddress:Port Scheduler Flags|
              -> RemoteAddress:Port           Forward Weight ActiveConn InActConn|
            TCP  192.168.10.1:80 wlc persistent 360|
              -> 192.168.10.11:80             Route   3      12         40        |
              -> 192.168.10.12:8080           Masq    1      0          0         |
            UDP  10.0.0.2:53 rr ops|
              -> 10.0.0.3:53                  Local   1      0          0         |
            UDP  192.168.10.1:53 sh (sh-fallback,sh-port)|
            TCP  [2001:db8::1]:443 rr persistent 300 mask 64|
              -> [2001:db8::10]:443           Route   1      0          0         |
            FWM  5 rr persistent 300 mask 255.255.255.0|
              -> 10.0.0.5:0                   Tunnel  2      1          2         |
              -> 10.0.0.6:0                   Tunnel  1      0          0         |
              -> 10.0.0.7:0                   Tunnel  1      0          0         |
            FWM  6 IPv6 wlc|
            """);

    static final String STATS = lines("""
            IP Virtual Server version 1.2.1 (size=4096)|
            Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes|
              -> RemoteAddress:Port|
            TCP  192.168.10.1:80                  1234    56789        0  987654K        0|
              -> 192.168.10.11:80                 1234    56789        0  987654K        0|
              -> 192.168.10.12:8080           99999999  100000K  999999K    1000M   99999M|
            UDP  10.0.0.2:53                         0        0        0        0        0|
              -> 10.0.0.3:53                         0        0        0        0        0|
            UDP  192.168.10.1:53                     0        0        0        0        0|
            TCP  [2001:db8::1]:443              99999M     100G   99999G     100T18446744T|
              -> [2001:db8::10]:443                  0        0        0        0        0|
            FWM  5                                   0        0        0        0        0|
              -> 10.0.0.5:0                          0        0        0        0        0|
              -> 10.0.0.6:0                          0        0        0        0        0|
              -> 10.0.0.7:0                          0        0        0        0        0|
            FWM  6 IPv6                              0        0        0        0        0|
            """);

    static final String STATS_EXACT = lines("""
            IP Virtual Server version 1.2.1 (size=4096)|
            Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes|
              -> RemoteAddress:Port|
            TCP  192.168.10.1:80                  1234    56789        0 987654321        0|
              -> 192.168.10.11:80                 1234    56789        0 987654321        0|
              -> 192.168.10.12:8080           99999999 100000000 999999999 1000000000 99999999999|
            UDP  10.0.0.2:53                         0        0        0        0        0|
              -> 10.0.0.3:53                         0        0        0        0        0|
            UDP  192.168.10.1:53                     0        0        0        0        0|
            TCP  [2001:db8::1]:443            99999999999 100000000000 99999999999999 100000000000000 18446744073709551615|
              -> [2001:db8::10]:443                  0        0        0        0        0|
            FWM  5                                   0        0        0        0        0|
              -> 10.0.0.5:0                          0        0        0        0        0|
              -> 10.0.0.6:0                          0        0        0        0        0|
              -> 10.0.0.7:0                          0        0        0        0        0|
            FWM  6 IPv6                              0        0        0        0        0|
            """);

    static final String RATE = lines("""
            IP Virtual Server version 1.2.1 (size=4096)|
            Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS|
              -> RemoteAddress:Port|
            TCP  192.168.10.1:80                     5      100       90  123456K  100000K|
              -> 192.168.10.11:80                    1        2        3     4000  123456K|
              -> 192.168.10.12:8080                  0        0        0        0        0|
            UDP  10.0.0.2:53                         0        0        0        0        0|
              -> 10.0.0.3:53                         0        0        0        0        0|
            UDP  192.168.10.1:53                     0        0        0        0        0|
            TCP  [2001:db8::1]:443                   0        0        0        0        0|
              -> [2001:db8::10]:443                  0        0        0        0        0|
            FWM  5                                   0        0        0        0        0|
              -> 10.0.0.5:0                          0        0        0        0        0|
              -> 10.0.0.6:0                          0        0        0        0        0|
              -> 10.0.0.7:0                          0        0        0        0        0|
            FWM  6 IPv6                              0        0        0        0        0|
            """);

    static final String THRESHOLDS = lines("""
            IP Virtual Server version 1.2.1 (size=4096)|
            Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn |
              -> RemoteAddress:Port|
            TCP  192.168.10.1:80 wlc persistent 360|
              -> 192.168.10.11:80             0          0          12         40        |
              -> 192.168.10.12:8080           500        100        0          0         |
            UDP  10.0.0.2:53 rr ops|
              -> 10.0.0.3:53                  0          0          0          0         |
            UDP  192.168.10.1:53 sh (sh-fallback,sh-port)|
            TCP  [2001:db8::1]:443 rr persistent 300 mask 64|
              -> [2001:db8::10]:443           0          0          0          0         |
            FWM  5 rr persistent 300 mask 255.255.255.0|
              -> 10.0.0.5:0                   0          0          1          2         |
              -> 10.0.0.6:0                   0          0          0          0         |
              -> 10.0.0.7:0                   0          0          0          0         |
            FWM  6 IPv6 wlc|
            """);

    static final String PERSISTENT_CONN = lines("""
            IP Virtual Server version 1.2.1 (size=4096)|
            Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn |
              -> RemoteAddress:Port|
            TCP  192.168.10.1:80 wlc persistent 360|
              -> 192.168.10.11:80             3         7           12         40        |
              -> 192.168.10.12:8080           1         0           0          0         |
            UDP  10.0.0.2:53 rr ops|
              -> 10.0.0.3:53                  1         0           0          0         |
            UDP  192.168.10.1:53 sh (sh-fallback,sh-port)|
            TCP  [2001:db8::1]:443 rr persistent 300 mask 64|
              -> [2001:db8::10]:443           1         0           0          0         |
            FWM  5 rr persistent 300 mask 255.255.255.0|
              -> 10.0.0.5:0                   2         0           1          2         |
              -> 10.0.0.6:0                   1         0           0          0         |
              -> 10.0.0.7:0                   1         0           0          0         |
            FWM  6 IPv6 wlc|
            """);

    static final String TUN_INFO = lines("""
            IP Virtual Server version 1.2.1 (size=4096)|
            Prot LocalAddress:Port Scheduler Flags|
              -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn|
            TCP  192.168.10.1:80 wlc persistent 360|
              -> 192.168.10.11:80             Route   n/a           3      12         40        |
              -> 192.168.10.12:8080           Masq    n/a           1      0          0         |
            UDP  10.0.0.2:53 rr ops|
              -> 10.0.0.3:53                  Local   n/a           1      0          0         |
            UDP  192.168.10.1:53 sh (sh-fallback,sh-port)|
            TCP  [2001:db8::1]:443 rr persistent 300 mask 64|
              -> [2001:db8::10]:443           Route   n/a           1      0          0         |
            FWM  5 rr persistent 300 mask 255.255.255.0|
              -> 10.0.0.5:0                   Tunnel  gue:6080:+c   2      1          2         |
              -> 10.0.0.6:0                   Tunnel  gre:-c        1      0          0         |
              -> 10.0.0.7:0                   Tunnel  ipip          1      0          0         |
            FWM  6 IPv6 wlc|
            """);

    static final String SINGLE_V6 = lines("""
            Prot LocalAddress:Port Scheduler Flags|
              -> RemoteAddress:Port           Forward Weight ActiveConn InActConn|
            TCP  [2001:db8::1]:443 rr persistent 300 mask 64|
              -> [2001:db8::10]:443           Route   1      0          0         |
            """);

    static final String CONNECTIONS = lines("""
            IPVS connection entries|
            pro expire state       source             virtual            destination|
            TCP 14:58  ESTABLISHED 10.0.0.9:51234     192.168.10.1:80    192.168.10.11:80|
            TCP 05:59  NONE        10.0.0.9:0         192.168.10.1:80    192.168.10.11:80|
            UDP 62:03  UDP         [2001:db8::99]:5353 [2001:db8::1]:53   [2001:db8::10]:53|
            """);

    static final String CONNECTIONS_PC = lines("""
            IPVS connection entries|
            pro expire state       source             virtual            destination        pe name          pe_data|
            TCP 14:58  ESTABLISHED 10.0.0.9:51234     192.168.10.1:80    192.168.10.11:80|
            TCP 05:59  NONE        10.0.0.9:0         192.168.10.1:80    192.168.10.11:80|
            UDP 62:03  UDP         [2001:db8::99]:5353 [2001:db8::1]:53   [2001:db8::10]:53|
            """);

    static final String NOSORT_SERVICES = lines("""
            IP Virtual Server version 1.2.1 (size=4096)|
            Prot LocalAddress:Port Scheduler Flags|
              -> RemoteAddress:Port           Forward Weight ActiveConn InActConn|
            TCP  [2001:db8::1]:443 rr persistent 300 mask 64|
              -> [2001:db8::10]:443           Route   1      0          0         |
            UDP  192.168.10.1:53 sh (sh-fallback,sh-port)|
            UDP  10.0.0.2:53 rr ops|
              -> 10.0.0.3:53                  Local   1      0          0         |
            TCP  192.168.10.1:80 wlc persistent 360|
              -> 192.168.10.12:8080           Masq    1      0          0         |
              -> 192.168.10.11:80             Route   3      12         40        |
            FWM  5 rr persistent 300 mask 255.255.255.0|
              -> 10.0.0.5:0                   Tunnel  2      1          2         |
              -> 10.0.0.6:0                   Tunnel  1      0          0         |
              -> 10.0.0.7:0                   Tunnel  1      0          0         |
            FWM  6 IPv6 wlc|
            """);
}
