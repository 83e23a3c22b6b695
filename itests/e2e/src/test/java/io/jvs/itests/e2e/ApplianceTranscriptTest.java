package io.jvs.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeds' ipvsadm sessions, replayed against the built appliance through bin/ipvsadm (and cross-checked through
 * bin/jvsadm), output compared byte for byte.
 */
class ApplianceTranscriptTest {
    private static final String HOST = "192-124-95-67";

    @TempDir
    Path tmp;
    private Appliance appliance;

    @BeforeEach
    void start() throws Exception {
        appliance = new Appliance(tmp.resolve("jvs")).start();
    }

    @AfterEach
    void stop() {
        if (appliance != null) {
            appliance.close();
        }
    }

    /**
     * Every transcript of seeds/002 (ipvsadm -A/-E/-D/-C/-a/-e/-d/-ln/-S/-R), in order, each command typed as in the
     * seed into bash (so {@code -S > ipvs.bak} and {@code -R < ipvs.bak} are real redirections).
     */
    @Test
    void seed002TranscriptsReplayByteForByte() throws Exception {
        final List<Transcript.Step> steps = Transcript.read(seed("002_714b137c17502bb0.txt"));
        assertEquals(29, steps.size(), "commands found in seed 002: " + steps);
        final Path home = Files.createDirectories(tmp.resolve("home"));
        final Map<String, Path> dirs = Map.of("~", Files.createDirectories(tmp.resolve("root")), "home", home);
        boolean hidden81 = false;
        boolean hiddenBackup = false;
        int listings = 0;
        for (final Transcript.Step step : steps) {
            // The seed skips two set-up steps between its sections; do them where the listings show their effect.
            if (!hidden81 && step.printed().stream().anyMatch(l -> l.contains("172.17.0.3:81"))) {
                hidden("-a", "-t", "192.124.95.67:80", "-r", "172.17.0.3:81", "-m");
                hidden81 = true;
            }
            if (!hiddenBackup && step.dir().equals("home")) {
                hidden("-e", "-t", "192.124.95.67:80", "-r", "172.17.0.3:80", "-m", "-w", "1");
                hidden("-A", "-t", "192.124.95.67:801", "-s", "rr");
                hiddenBackup = true;
            }
            final Procs.Result r = appliance.shell(step.command(), dirs.get(step.dir()));
            if (step.command().equals("cat ipvs.bak")) {
                assertEquals(0, r.exit(), step + "\n" + r);
                assertEquals(savedOnThisHost(step), r.out(), step + ": the file -S wrote");
                continue;
            }
            if (step.command().contains("8080") && step.command().contains("-D")) {
                assertEquals(255, r.exit(), step + ": ipvsadm's exit status for a kernel error\n" + r);
                assertEquals("", r.out(), step.toString());
                assertEquals(step.expected(), r.err(), step + ": stderr");
                continue;
            }
            assertEquals(0, r.exit(), step + "\n" + r);
            assertEquals(step.expected(), r.out(), step.toString());
            assertEquals("", r.err(), step + ": stderr");
            if (step.command().endsWith(" -ln")) {
                listings++;
                // The same listing through the jvsadm name, with the options spelled the other way.
                final Procs.Result j = appliance.jvsadm("-L", "-n");
                assertEquals(r.out(), j.out(), step + ": bin/jvsadm -L -n differs from bin/ipvsadm -ln");
            }
        }
        assertEquals(13, listings, "listings checked");
        assertTrue(hidden81 && hiddenBackup, "hidden set-up steps applied");

        // The save step in numeric form, and its restore.
        final String savedNumeric = "-A -t 192.124.95.67:80 -s rr\n"
                + "-a -t 192.124.95.67:80 -r 172.17.0.2:80 -m -w 1\n"
                + "-a -t 192.124.95.67:80 -r 172.17.0.3:80 -m -w 1\n"
                + "-A -t 192.124.95.67:801 -s rr\n";
        assertEquals(savedNumeric, appliance.saveNumeric());
        final String listing = appliance.ipvsadm("-ln").out();
        assertEquals(0, appliance.ipvsadm("-C").exit());
        assertEquals(0, appliance.tool("ipvsadm", savedNumeric.getBytes(StandardCharsets.UTF_8), "-R").exit());
        assertEquals(listing, appliance.ipvsadm("-ln").out());
    }

    /**
     * The ipvsadm lines of seeds/004's director script, run unchanged by bash (with /sbin/ipvsadm being ours), and
     * the listing the seed shows after a reboot.
     */
    @Test
    void seed004DirectorScriptRunsUnchanged() throws Exception {
        // "After rebooting no lvs rules are set by default" (seed 004): a fresh appliance, ipvsadm -L.
        final Procs.Result empty = appliance.shell("ipvsadm -L", tmp);
        assertEquals(0, empty.exit(), empty::toString);
        assertEquals("IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n", empty.out());

        final List<String> script = directorScriptLines(seed("004_b738de231b9bb248.txt"));
        assertEquals(List.of("VIP1=129.129.190.54", "RIP1=129.129.190.175", "RIP2=129.129.190.176",
                "/sbin/ipvsadm -C",
                "/sbin/ipvsadm -A -t ${VIP1}:ssh -s rr",
                "/sbin/ipvsadm -a -t ${VIP1}:ssh -r $RIP1 -g -w 1",
                "/sbin/ipvsadm -a -t ${VIP1}:ssh -r $RIP2 -g -w 1",
                "/sbin/ipvsadm --set 259200 0 0",
                "/sbin/ipvsadm -L --timeout",
                "/sbin/ipvsadm"), script, "the director script's ipvsadm lines");
        // bash allows '/' in function names: the lines run exactly as written, with ipvsadm being bin/ipvsadm.
        final String program = "set -e\nfunction /sbin/ipvsadm { ipvsadm \"$@\"; }\n" + String.join("\n", script) + "\n";
        final Procs.Result r = appliance.shell(program, tmp);
        assertEquals(0, r.exit(), r::toString);
        // The seed's machine resolved the VIP and RIPs to llc*.psi.ch; here they have no reverse DNS, so addresses
        // print numerically, ports by service name (as ipvsadm does without -n).
        assertEquals("Timeout (tcp tcpfin udp): 259200 120 300\n"
                + "IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  129.129.190.54:ssh rr\n"
                + "  -> 129.129.190.175:ssh          Route   1      0          0         \n"
                + "  -> 129.129.190.176:ssh          Route   1      0          0         \n", r.out());
        assertEquals("", r.err());
        assertTrue(Files.readString(seed("004_b738de231b9bb248.txt")).contains("Timeout (tcp tcpfin udp): 259200 120 300\n"),
                "the seed's --timeout line");
        assertEquals("-A -t 129.129.190.54:22 -s rr\n"
                + "-a -t 129.129.190.54:22 -r 129.129.190.175:22 -g -w 1\n"
                + "-a -t 129.129.190.54:22 -r 129.129.190.176:22 -g -w 1\n", appliance.saveNumeric());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void hidden(final String... args) throws Exception {
        final Procs.Result r = appliance.ipvsadm(args);
        assertEquals(0, r.exit(), () -> "set-up step " + String.join(" ", args) + "\n" + r);
    }

    /**
     * What {@code ipvsadm -S} wrote in the seed, as this host writes it: the seed's host resolved its own address to
     * "192-124-95-67", which has no reverse DNS here, so the address prints numerically; ports take their names from
     * this host's /etc/services (the seed's "device" for 801 is in CentOS's file, not in every distribution's).
     */
    private static String savedOnThisHost(final Transcript.Step step) throws IOException {
        final Map<String, String> names = servicePortNames();
        final Pattern hostPort = Pattern.compile(Pattern.quote(HOST) + ":([a-z]+)");
        final Map<String, String> seedPorts = Map.of("http", "80", "device", "801");
        final StringBuilder b = new StringBuilder();
        for (final String line : step.printed()) {
            final Matcher m = hostPort.matcher(line);
            final StringBuilder l = new StringBuilder();
            while (m.find()) {
                final String port = seedPorts.get(m.group(1));
                assertFalse(port == null, "unknown port name in the seed: " + m.group(1));
                m.appendReplacement(l, "192.124.95.67:" + names.getOrDefault(port, port));
            }
            m.appendTail(l);
            b.append(l).append('\n');
        }
        // realserver ports print by name too (172.17.0.x:http)
        return b.toString().replace(":http ", ":" + names.getOrDefault("80", "80") + " ");
    }

    /** port → name of the first tcp entry of /etc/services. */
    private static Map<String, String> servicePortNames() throws IOException {
        final Map<String, String> names = new HashMap<>();
        final Path services = Path.of("/etc/services");
        if (Files.exists(services)) {
            for (final String line : Files.readAllLines(services, StandardCharsets.ISO_8859_1)) {
                final String[] f = line.replaceAll("#.*", "").trim().split("\\s+");
                if (f.length >= 2 && f[1].endsWith("/tcp")) {
                    names.putIfAbsent(f[1].substring(0, f[1].length() - 4), f[0]);
                }
            }
        }
        return names;
    }

    /** The script's address variables and every /sbin/ipvsadm line that is not commented out. */
    private static List<String> directorScriptLines(final Path seed) throws IOException {
        final List<String> out = new ArrayList<>();
        for (final String line : Files.readAllLines(seed, StandardCharsets.UTF_8)) {
            final String l = line.strip();
            if (l.matches("(VIP1|RIP1|RIP2)=[0-9.]+") || l.startsWith("/sbin/ipvsadm")) {
                out.add(l);
            }
        }
        return out;
    }

    static Path seed(final String name) {
        final Path p = Path.of(Procs.property("jvs.seeds")).resolve(name);
        assertTrue(Files.isRegularFile(p), "seed " + p + " (shared/seeds beside the repository; -Djvs.seeds=DIR)");
        return p;
    }
}
