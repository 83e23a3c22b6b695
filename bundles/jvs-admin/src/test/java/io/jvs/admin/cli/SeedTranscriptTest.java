package io.jvs.admin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.core.svc.ServiceTable;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The transcripts of the seeds replayed against the core's table: every command prints what the transcript
 * shows. The web page of seeds/002 dropped trailing blanks, so its lines are compared without them (the golden
 * listing tests pin the blanks).
 */
class SeedTranscriptTest {
    private static final String PROMPT = "]# ";

    @Test
    void seed002ServiceAndRealServerManagementSaveAndRestore() throws IOException {
        final TestNames names = new TestNames().host("192-124-95-67", "192.124.95.67", true);
        final Cli cli = new Cli(new Ipvsadm(new ServiceTable(), names));
        final Map<String, String> files = new HashMap<>();
        final List<String> lines = resource("seed-002-transcript.txt").lines().toList();
        int commands = 0;
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i);
            final int p = line.indexOf(PROMPT);
            if (p < 0) {
                continue;
            }
            final String command = line.substring(p + PROMPT.length()).replace(" #reconstructed", "").strip();
            final List<String> expected = new ArrayList<>();
            while (i + 1 < lines.size() && !lines.get(i + 1).contains(PROMPT) && !lines.get(i + 1).endsWith("]#")) {
                expected.add(lines.get(++i));
            }
            if (command.isEmpty()) {
                continue;
            }
            final String printed = execute(cli, command, files);
            assertEquals(String.join("\n", expected), stripTrailing(printed), command);
            commands++;
        }
        assertEquals(32, commands);
    }

    private static String execute(final Cli cli, final String command, final Map<String, String> files) {
        if (command.startsWith("cat ")) {
            return files.get(command.substring(4));
        }
        String words = command;
        String into = null;
        String from = "";
        final int gt = words.indexOf(" > ");
        if (gt >= 0) {
            into = words.substring(gt + 3).strip();
            words = words.substring(0, gt);
        }
        final int lt = words.indexOf(" < ");
        if (lt >= 0) {
            from = files.get(words.substring(lt + 3).strip());
            words = words.substring(0, lt);
        }
        final List<String> argv = RestoreReader.words(words);
        final Cli.Result r = cli.withInput(from, argv.subList(1, argv.size()).toArray(new String[0]));
        if (r.err().equals("No such service\n")) {
            assertEquals(255, r.status());
        } else {
            assertEquals(0, r.status(), command + ": " + r.err());
        }
        if (into != null) {
            files.put(into, r.out());
            return r.err();
        }
        return r.out() + r.err();
    }

    @Test
    void seed004DirectorScriptLinesRunUnchanged() {
        final Cli cli = new Cli(new Ipvsadm(new ServiceTable(), new TestNames()));
        for (final String line : List.of(
                "/sbin/ipvsadm -C",
                "/sbin/ipvsadm -A -t 129.129.190.54:ssh -s rr",
                "/sbin/ipvsadm -a -t 129.129.190.54:ssh -r 129.129.190.175 -g -w 1",
                "/sbin/ipvsadm -a -t 129.129.190.54:ssh -r 129.129.190.176 -g -w 1",
                "/sbin/ipvsadm --set 259200 0 0")) {
            final Cli.Result r = cli.line(line);
            assertEquals(0, r.status(), line + ": " + r.err());
            assertEquals("", r.out() + r.err(), line);
        }
        assertEquals("Timeout (tcp tcpfin udp): 259200 120 300\n", cli.line("/sbin/ipvsadm -L --timeout").out());
        assertEquals(Golden.lines("""
                IP Virtual Server version 1.2.1 (size=4096)|
                Prot LocalAddress:Port Scheduler Flags|
                  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn|
                TCP  129.129.190.54:ssh rr|
                  -> 129.129.190.175:ssh          Route   1      0          0         |
                  -> 129.129.190.176:ssh          Route   1      0          0         |
                """), cli.line("/sbin/ipvsadm").out());
        final Cli.Result delete = cli.line("/sbin/ipvsadm -d -t 129.129.190.54:ssh -r 129.129.190.176");
        assertEquals(0, delete.status(), delete.err());
        assertTrue(cli.run("-Ln").out().endsWith("TCP  129.129.190.54:22 rr\n"
                + "  -> 129.129.190.175:22           Route   1      0          0         \n"));
    }

    private static String stripTrailing(final String text) {
        final StringBuilder b = new StringBuilder();
        text.lines().forEach(l -> b.append(l.stripTrailing()).append('\n'));
        return b.length() == 0 ? "" : b.substring(0, b.length() - 1);
    }

    private static String resource(final String name) throws IOException {
        try (InputStream in = SeedTranscriptTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
