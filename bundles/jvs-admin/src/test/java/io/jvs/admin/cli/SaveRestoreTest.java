package io.jvs.admin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.TableCommand;
import io.jvs.core.svc.ServiceTable;

import java.io.StringReader;
import java.util.List;

import org.junit.jupiter.api.Test;

/** -S and -R against the core's table: round trips, atomic restore, kernel refusals and speed. */
class SaveRestoreTest {
    private final ServiceTable table = new ServiceTable();
    private final Ipvsadm ipvsadm = new Ipvsadm(table, new TestNames());
    private final Cli cli = new Cli(ipvsadm);

    private void ok(final String line) {
        final Cli.Result r = cli.line(line);
        assertEquals(0, r.status(), line + ": " + r.err());
    }

    private void build() {
        ok("-A -t 10.0.0.1:80 -s rr");
        ok("-a -t 10.0.0.1:80 -r 192.168.1.2:8080 -m -w 3");
        ok("-a -t 10.0.0.1:80 -r 192.168.1.1 -g -w 0");
        ok("-A -t 10.0.0.1 -s wlc -p 1800 -M 255.255.0.0");
        ok("-A -u 10.0.0.1:53 -s sh -b sh-port -o");
        ok("-a -u 10.0.0.1:53 -r 192.168.1.3 -i --tun-type gue --tun-port 6080 --tun-csum");
        ok("-A -t [2001:db8::1]:443 -s mh -b mh-fallback -p -M 48");
        // As in ipvsadm, a bracketed IPv6 address needs a port; without one it is written bare.
        ok("-a -t [2001:db8::1]:443 -r 2001:db8::10");
        ok("-A -f 9 -6 -s lc");
        ok("-a -f 9 -6 -r 2001:db8::20 -i --tun-type gre --tun-csum");
        ok("-A --sctp-service 10.0.0.2:5060 -s wrr");
    }

    @Test
    void saveThenRestoreRebuildsTheSameTable() throws RestoreException {
        build();
        final String saved = ipvsadm.save(true);
        assertEquals(cli.run("-Sn").out(), saved);
        final String listing = cli.run("-Ln").out();
        final ServiceTable copy = new ServiceTable();
        final Ipvsadm other = new Ipvsadm(copy, new TestNames());
        final Cli.Result restored = new Cli(other).withInput(saved, "-R");
        assertEquals("", restored.err());
        assertEquals(0, restored.status());
        assertEquals(saved, other.save(true));
        assertEquals(listing, new Cli(other).run("-Ln").out());
        assertEquals(11, other.parseRestore(new StringReader(saved)).size());
    }

    @Test
    void restoreAcceptsIpvsadmPrefixCommentsAndBlankLines() throws RestoreException {
        final List<TableCommand> commands = ipvsadm.parseRestore(new StringReader("""
                # generated
                ipvsadm -A -t 10.0.0.1:80 -s rr

                /sbin/ipvsadm -a -t 10.0.0.1:80 -r 10.0.0.2   # first server
                -a -t 10.0.0.1:80 -r '10.0.0.3' -m
                --set 0 0 0
                --start-daemon master --mcast-interface lo
                --stop-daemon master
                -Z
                -D -t 10.0.0.1:80
                -C
                """));
        assertEquals(9, commands.size());
        assertTrue(commands.get(0) instanceof TableCommand.AddService);
        assertTrue(commands.get(8) instanceof TableCommand.Clear);
    }

    @Test
    void aSyntaxErrorInTheMiddleChangesNothing() {
        build();
        final String before = ipvsadm.save(true);
        final Cli.Result r = cli.withInput("""
                -C
                -A -t 10.9.9.9:80 -s rr
                -a -t 10.9.9.9:80 -r 10.9.9.10 -w 70000
                -A -t 10.9.9.9:81 -s rr
                """, "-R");
        assertEquals("line 3: \"-a -t 10.9.9.9:80 -r 10.9.9.10 -w 70000\": illegal weight specified\n", r.err());
        assertEquals(2, r.status());
        assertEquals(before, ipvsadm.save(true));
        final RestoreException e = assertThrows(RestoreException.class,
                () -> ipvsadm.parseRestore(new StringReader("-C\n\n-L -n\n")));
        assertEquals(3, e.lineNumber());
        assertEquals("line 3: \"-L -n\": the 'list' command is not allowed in a restore file", e.getMessage());
    }

    @Test
    void aRefusedCommandInTheMiddleChangesNothing() {
        build();
        final String before = ipvsadm.save(true);
        final Cli.Result r = cli.withInput("""
                -C
                -A -t 10.9.9.9:80 -s rr
                -a -t 10.8.8.8:80 -r 10.9.9.10
                """, "-R");
        assertEquals("line 3: \"-a -t 10.8.8.8:80 -r 10.9.9.10\": Service not defined\n", r.err());
        assertEquals(255, r.status());
        assertEquals(before, ipvsadm.save(true));
    }

    @Test
    void kernelRefusalsPrintLibipvsMessages() {
        ok("-A -t 10.0.0.1:80 -s rr");
        ok("-a -t 10.0.0.1:80 -r 10.0.0.2");
        final String[][] cases = {
            {"-A -t 10.0.0.1:80 -s nosuch", "Service already exists"},
            {"-A -t 10.0.0.1:81 -s nosuch", "Scheduler or persistence engine not found"},
            {"-E -t 10.0.0.1:82 -s rr", "No such service"},
            {"-A -t 10.0.0.1:80", "Service already exists"},
            {"-D -t 10.0.0.1:8080", "No such service"},
            {"-Z -t 10.0.0.1:8080", "No such service"},
            {"-a -t 10.0.0.1:80 -r 10.0.0.2", "Destination already exists"},
            {"-a -t 10.0.0.9:80 -r 10.0.0.2", "Service not defined"},
            {"-e -t 10.0.0.1:80 -r 10.0.0.3", "No such destination"},
            {"-d -t 10.0.0.1:80 -r 10.0.0.3", "No such destination"},
            {"-e -t 10.0.0.1:80 -r 10.0.0.2 -x 10 -y 20", "Numerical result out of range"},
            {"--stop-daemon backup", "No daemon is running"},
        };
        for (final String[] c : cases) {
            final Cli.Result r = cli.line(c[0]);
            assertEquals(c[1] + "\n", r.err(), c[0]);
            assertEquals(255, r.status(), c[0]);
        }
        assertEquals(0, cli.line("--start-daemon master --mcast-interface lo").status());
        assertEquals("Daemon has already run\n", cli.line("--start-daemon master --mcast-interface lo").err());
    }

    @Test
    void restoresTenThousandServicesAndListsSixteenThousandQuickly() {
        final StringBuilder text = new StringBuilder(4_000_000);
        for (int i = 0; i < 10_000; i++) {
            final String vip = "10." + (i >> 8 & 0xff) + "." + (i & 0xff) + ".1:80";
            text.append("-A -t ").append(vip).append(" -s rr\n");
            for (int r = 1; r <= 4; r++) {
                text.append("-a -t ").append(vip).append(" -r 172.16.").append(i & 0xff).append('.').append(r)
                        .append(":8080 -m -w ").append(r).append('\n');
            }
        }
        long t0 = System.nanoTime();
        final Cli.Result r = cli.withInput(text.toString(), "-R");
        final long restoreMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, r.status(), r.err());
        assertTrue(restoreMillis < 2000, "restore took " + restoreMillis + " ms");

        final StringBuilder more = new StringBuilder();
        for (int i = 0; i < 6_000; i++) {
            more.append("-A -u 10.").append(i >> 8 & 0xff).append('.').append(i & 0xff).append(".2:53 -s rr\n");
        }
        assertEquals(0, cli.withInput(more.toString(), "-R").status());
        cli.run("-Ln");
        t0 = System.nanoTime();
        final String listing = cli.run("-Ln").out();
        final long listMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(3 + 16_000 + 40_000, listing.lines().count());
        assertTrue(listMillis < 1000, "listing took " + listMillis + " ms");
    }
}
