package io.jvs.admin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input gets ipvsadm's message and exit status, and nothing reaches the table. */
class CommandErrorsTest {
    private final StubTable table = new StubTable();
    private final Cli cli = new Cli(new Ipvsadm(table, new TestNames()));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        -A -t 1.2.3.4:80 -s rr -w 2                 | 2   | Illegal 'weight' option with the 'add-service' command
        -A -t 1.2.3.4:80 --stats                    | 2   | Illegal 'stats' option with the 'add-service' command
        -A -s rr                                    | 2   | You need to supply the 'service-address' option for the 'add-service' command
        -a -t 1.2.3.4:80                            | 2   | You need to supply the 'real-server' option for the 'add-server' command
        -a -t 1.2.3.4:80 -r 5.6.7.8 -w 70000        | 2   | illegal weight specified
        -a -t 1.2.3.4:80 -r 5.6.7.8 -w -1           | 2   | illegal weight specified
        -a -t 1.2.3.4:80 -r 5.6.7.8 -x abc          | 2   | illegal u_threshold specified
        -a -t 1.2.3.4:80 -r 5.6.7.8 -y 2147483648   | 2   | illegal l_threshold specified
        --start-daemon master --syncid 256          | 2   | illegal syncid specified
        --start-daemon primary                      | 2   | illegal start-daemon parameter specified
        --stop-daemon primary                       | 2   | illegal start_daemon specified
        -A -t nowhere.invalid:80                    | 2   | illegal virtual server address[:port] specified
        -A -t 1.2.3.4:99999                         | 2   | illegal virtual server address[:port] specified
        -A -t 1.2.3.4:nosuchservice                 | 2   | illegal virtual server address[:port] specified
        -A -t 80                                    | 2   | illegal virtual server address[:port] specified
        -A -t [::1]                                 | 2   | illegal virtual server address[:port] specified
        -a -t 1.2.3.4:80 -r 1.2.3                   | 0   |
        -a -t 1.2.3.4:80 -r 300.1.1.1               | 2   | illegal real server address[:port] specified
        -A -t 1.2.3.4 -s rr                         | 2   | Zero port specified for non-persistent service
        -A -t 1.2.3.4:0                             | 2   | Zero port specified for non-persistent service
        -A -t 1.2.3.4:53 -o                         | 2   | One-Packet Scheduling is only for UDP virtual services
        -A -t 1.2.3.4:80 -p 0                       | 2   | invalid timeout value `0' specified
        -A -t 1.2.3.4:80 -p 2678401                 | 2   | invalid timeout value `2678401' specified
        -A -t 1.2.3.4:80 -p x                       | 2   | invalid timeout value `x' specified
        -A -t 1.2.3.4:80 -p -M 1.2.3.4.5            | 2   | illegal virtual server persistent mask specified
        -A -t [::1]:80 -p -M 129                    | 2   | illegal ipv6 netmask specified
        -A -f 0                                     | 2   | invalid fwmark value `0' specified
        -A -f abc                                   | 2   | invalid fwmark value `abc' specified
        -A -t 1.2.3.4:80 -6                         | 2   | -6 used before -f\\n
        -A -t 1.2.3.4:80 -t 1.2.3.4:81              | 2   | multiple 'service-address' options specified
        -A -t 1.2.3.4:80 -E                         | 2   | invalid option `-E'
        -A -t 1.2.3.4:80 -s rr -b sh-port           | 2   | incompatible scheduler flag `sh-port'
        -A -t 1.2.3.4:80 -s sh -b mh-port           | 2   | incompatible scheduler flag `mh-port'
        -A -t 1.2.3.4:80 -s sh -b bogus             | 2   | invalid scheduler flag `bogus'
        --set 1 2                                   | 2   | --set option requires 3 timeout values
        --set 1 2 3 4                               | 2   | unexpected argument 4
        --set 1 2 x                                 | 2   | invalid timeout value `x' specified
        --set 1 2 2678401                           | 2   | invalid timeout value `2678401' specified
        -L extra                                    | 2   | unexpected argument extra
        -L -c -t 1.2.3.4:80                         | 2   | The option 'service-address' conflicts with the 'connection' option in the 'list' command
        -L --timeout --daemon                       | 2   | The option 'daemon' conflicts with the 'timeout' option in the 'list' command
        -L -c --stats                               | 2   | options conflicts in the list command
        -L --daemon --persistent-conn               | 2   | options conflicts in the list command
        -L -s rr                                    | 2   | Illegal 'scheduler' option with the 'list' command
        -S -c                                       | 2   | Illegal 'connection' option with the 'save' command
        -R -n                                       | 2   | Illegal 'numeric' option with the 'restore' command
        -C -t 1.2.3.4:80                            | 2   | Illegal 'service-address' option with the 'flush' command
        -a -t 1.2.3.4:80 -r 5.6.7.8 --tun-port 9    | 2   | Tunnel options conflict with forward method
        -a -t 1.2.3.4:80 -r 5.6.7.8 -i --tun-port 9 | 2   | Illegal 'tun-port' option with the 'ipip' tunnel type
        -a -t 1.2.3.4:80 -r 5.6.7.8 -i --tun-type gue | 2 | You need to supply the 'tun-port' option for the 'gue' tunnel type
        -a -t 1.2.3.4:80 -r 5.6.7.8 -i --tun-type gre --tun-remcsum | 2 | Illegal 'tun-remcsum' option with the 'gre' tunnel type
        -a -t 1.2.3.4:80 -r 5.6.7.8 -i --tun-type gue --tun-port 9 --tun-csum --tun-nocsum | 2 | The option 'tun-csum' conflicts with the 'tun-nocsum' option in the 'gue' tunnel type
        -a -t 1.2.3.4:80 -r 5.6.7.8 -i --tun-type vxlan | 2 | illegal tunnel type specified
        -a -t 1.2.3.4:80 -r [2001:db8::1]:80 -m     | 2   | Different address family is allowed only for tunneling servers
        --start-daemon master --mcast-group 10.0.0.1 | 2  | invalid IPv4 mcast-group `10.0.0.1'
        --start-daemon master --mcast-ttl 0         | 2   | illegal mcast-ttl specified
        --start-daemon master --mcast-port 0        | 2   | illegal mcast-port specified
        --start-daemon master --sync-maxlen 65508   | 2   | illegal sync-maxlen specified
        -A -t 1.2.3.4:80 --foo                      | 255 | --foo: unknown option
        -A -t 1.2.3.4:80 -q                         | 255 | -q: unknown option
        -A -t                                       | 255 | -t: missing argument
        -L --numeric=1                              | 255 | --numeric=1: option does not take an argument
        -t 1.2.3.4:80 -A                            | 255 | Try `ipvsadm -h' or 'ipvsadm --help' for more information.
        -n                                          | 255 | Try `ipvsadm -h' or 'ipvsadm --help' for more information.
        --bogus                                     | 255 | Try `ipvsadm -h' or 'ipvsadm --help' for more information.
        nothing                                     | 255 | Try `ipvsadm -h' or 'ipvsadm --help' for more information.
        -A -t 1.2.3.4:80 --pe sip                   | 255 | Scheduler or persistence engine not found
        """)
    void refusesWithIpvsadmsMessage(final String line, final int status, final String message) {
        final Cli.Result r = cli.line(line);
        final String expected = message == null ? "" : message.replace("\\n", "\n") + "\n";
        assertEquals(expected, r.err());
        assertEquals(status, r.status());
        if (status != 0) {
            assertTrue(table.applied.isEmpty(), "nothing applied");
            assertEquals("", r.out());
        }
    }
}
