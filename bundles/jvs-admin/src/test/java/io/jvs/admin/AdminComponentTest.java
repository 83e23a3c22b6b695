package io.jvs.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.core.svc.ServiceTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminComponentTest {
    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
    }

    private static Result run(final AdminService admin, final String stdin, final String... argv) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = admin.execute(List.of(argv), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String table(final AdminService admin) {
        return run(admin, "", "-Ln", "--nosort").out() + run(admin, "", "-Ln", "--thresholds").out()
                + run(admin, "", "-L", "--timeout").out() + run(admin, "", "-L", "--daemon").out();
    }

    @Test
    void shouldBringBackExactlyTheSameTableAfterARestart() throws Exception {
        final Path state = dir.resolve("state");
        final String before;
        AdminComponent admin = new AdminComponent(new ServiceTable(), state, dir.resolve("a.sock"));
        try {
            assertEquals(0, run(admin, "", "-A", "-t", "10.0.0.1:80", "-s", "wrr").exit());
            // Added B, A, C: the kernel list order is C, A, B; a sorted save would lose that.
            run(admin, "", "-a", "-t", "10.0.0.1:80", "-r", "10.1.0.2:80", "-m", "-w", "3", "-x", "100", "-y", "50");
            run(admin, "", "-a", "-t", "10.0.0.1:80", "-r", "10.1.0.1:80", "-m", "-w", "4");
            run(admin, "", "-a", "-t", "10.0.0.1:80", "-r", "10.1.0.3:80", "-m", "-w", "2");
            run(admin, "", "-A", "-u", "10.0.0.1:53", "-s", "sh", "-b", "sh-port", "-o");
            run(admin, "", "-A", "-f", "7", "-s", "rr", "-p", "600", "-M", "255.255.255.0");
            run(admin, "", "--set", "259200", "0", "0");
            assertEquals(0, run(admin, "", "--start-daemon", "backup", "--mcast-interface", "lo", "--syncid", "9").exit());
            before = table(admin);
        } finally {
            admin.close();
        }
        admin = new AdminComponent(new ServiceTable(), state, dir.resolve("b.sock"));
        try {
            assertEquals(before, table(admin));
            assertTrue(before.contains("  -> 10.1.0.2:80                  100        50"), before);
            final String order = run(admin, "", "-Ln", "--nosort").out();
            assertTrue(order.indexOf("10.1.0.3:80") < order.indexOf("10.1.0.1:80")
                    && order.indexOf("10.1.0.1:80") < order.indexOf("10.1.0.2:80"), order);
        } finally {
            admin.close();
        }
    }

    @Test
    void shouldRestoreAtomicallyAndSaveOnlyWhatWasAccepted() throws Exception {
        final Path state = dir.resolve("state");
        final AdminComponent admin = new AdminComponent(new ServiceTable(), state, dir.resolve("c.sock"));
        try {
            run(admin, "", "-A", "-t", "10.0.0.1:80", "-s", "rr");
            final String saved = Files.readString(state.resolve("table.conf"));
            final Result r = run(admin, "-A -t 10.0.0.2:80 -s rr\n-a -t 10.0.0.9:80 -r 10.1.0.1:80\n", "-R");
            assertTrue(r.exit() != 0);
            assertTrue(r.err().contains("line 2"), r.err());
            assertEquals(1, admin.table().services().size());
            assertEquals(saved, Files.readString(state.resolve("table.conf")), "a refused restore saves nothing");
        } finally {
            admin.close();
        }
    }

    @Test
    void applianceCommandsAreKeptOutOfIpvsadmsParser() throws Exception {
        final AdminComponent admin = new AdminComponent(new ServiceTable(), dir.resolve("state"), dir.resolve("d.sock"));
        try {
            final Result none = run(admin, "", "--jvs", "dataplane");
            assertEquals(1, none.exit(), "no packet core in this test: " + none);
            assertTrue(none.err().contains("No data plane is running"), none.err());
            final Result bogus = run(admin, "", "--jvs", "reboot");
            assertEquals(2, bogus.exit());
            assertTrue(bogus.err().contains("Usage: jvsadm --jvs dataplane"), bogus.err());
            final Result ipvsadm = run(admin, "", "--jvsx");
            assertTrue(ipvsadm.exit() != 0 && !ipvsadm.err().contains("--jvs dataplane"),
                    "ipvsadm's own error: " + ipvsadm);
        } finally {
            admin.close();
        }
    }
}
