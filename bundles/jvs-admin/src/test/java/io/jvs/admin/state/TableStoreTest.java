package io.jvs.admin.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.Protocol;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceKey;
import io.jvs.api.TableCommand;
import io.jvs.api.TableException;
import io.jvs.api.sched.Flow;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.SchedulerContext;
import io.jvs.api.sched.ServiceScheduler;
import io.jvs.core.svc.ServiceTable;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableStoreTest {
    @TempDir
    Path dir;

    /** A toy body language for these tests: one "-A vip port sched" per line. */
    private static List<TableCommand> parse(final String body) throws CorruptStateException {
        final List<TableCommand> out = new ArrayList<>();
        for (final String line : body.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            final String[] f = line.split(" ");
            if (f.length != 4 || !f[0].equals("-A")) {
                throw new CorruptStateException("bad line: " + line);
            }
            try {
                out.add(new TableCommand.AddService(new ServiceConfig(
                        ServiceKey.of(Protocol.TCP, InetAddress.getByName(f[1]), Integer.parseInt(f[2])), f[3],
                        false, 0, ServiceConfig.HOST_MASK_V4, false, 0)));
            } catch (final Exception e) {
                throw new CorruptStateException(e.toString());
            }
        }
        return out;
    }

    private static String render(final io.jvs.api.VirtualServerTable t) {
        final StringBuilder b = new StringBuilder();
        t.services().forEach(s -> b.append("-A ").append(s.config().key().address().getHostAddress()).append(' ')
                .append(s.config().key().port()).append(' ').append(s.config().scheduler()).append('\n'));
        return b.toString();
    }

    @Test
    void shouldRoundTripAndKeepPreviousVersion() throws Exception {
        final TableStore store = new TableStore(dir);
        store.save("-A 10.0.0.1 80 rr\n");
        store.save("-A 10.0.0.1 80 rr\n-A 10.0.0.2 80 wlc\n");
        assertEquals("-A 10.0.0.1 80 rr\n-A 10.0.0.2 80 wlc\n", store.read(store.current()));
        assertEquals("-A 10.0.0.1 80 rr\n", store.read(store.previous()));
        assertTrue(Files.readString(store.current()).startsWith(StateFile.HEADER));
    }

    @Test
    void shouldDetectTruncationAndTampering() throws Exception {
        final TableStore store = new TableStore(dir);
        store.save("-A 10.0.0.1 80 rr\n-A 10.0.0.2 80 wlc\n");
        final String text = Files.readString(store.current());
        Files.writeString(store.current(), text.substring(0, text.length() - 5));
        assertThrows(CorruptStateException.class, () -> store.read(store.current()));
        Files.writeString(store.current(), text.replace("wlc", "rr "));
        assertThrows(CorruptStateException.class, () -> store.read(store.current()));
        Files.write(store.current(), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThrows(CorruptStateException.class, () -> store.read(store.current()));
    }

    @Test
    void shouldStartWithLastGoodTableWhenCurrentIsCorrupt() throws Exception {
        final TableStore store = new TableStore(dir);
        store.save("-A 10.0.0.1 80 rr\n");
        store.save("-A 10.0.0.1 80 rr\n-A 10.0.0.2 80 wlc\n");
        Files.writeString(store.current(), "garbage that is no table\n", StandardCharsets.UTF_8);

        final ServiceTable table = new ServiceTable();
        final PersistentTable persistent = new PersistentTable(table, store, TableStoreTest::render);
        assertEquals(TableRecovery.Outcome.PREVIOUS,
                TableRecovery.recover(store, TableStoreTest::parse, table, persistent));
        assertEquals(1, table.services().size());
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("table.conf.corrupt-")),
                    "the corrupt file is kept aside, not deleted");
        }
        assertEquals("-A 10.0.0.1 80 rr\n", store.read(store.current()), "last good table saved as current");
    }

    @Test
    void shouldRefuseBodyTheTableRejectsAsCorrupt() throws Exception {
        final TableStore store = new TableStore(dir);
        store.save("-A 10.0.0.1 80 rr\n");
        store.save("-A 10.0.0.1 80 rr\n-A 10.0.0.1 80 wlc\n"); // the same service twice
        final ServiceTable table = new ServiceTable();
        final PersistentTable persistent = new PersistentTable(table, store, TableStoreTest::render);
        assertEquals(TableRecovery.Outcome.PREVIOUS,
                TableRecovery.recover(store, TableStoreTest::parse, table, persistent));
        assertEquals("rr", table.services().get(0).config().scheduler(), "no part of the bad file is loaded");
    }

    @Test
    void shouldRestoreATableWhoseSchedulerBundleStartsLater() throws Exception {
        final TableStore store = new TableStore(dir);
        store.save("-A 10.0.0.1 80 mine\n");
        final ServiceTable table = new ServiceTable();
        final PersistentTable persistent = new PersistentTable(table, store, TableStoreTest::render);
        assertEquals(TableRecovery.Outcome.CURRENT,
                TableRecovery.recover(store, TableStoreTest::parse, table, persistent));
        final var key = table.services().get(0).config().key();
        assertEquals("mine", table.services().get(0).config().scheduler());
        assertTrue(table.snapshot().services().get(key).state().isFallback(), "round robin until it registers");
        assertThrows(TableException.class, () -> table.apply(new TableCommand.EditService(new ServiceConfig(key,
                "other", false, 0, ServiceConfig.HOST_MASK_V4, false, 0))), "commands still refuse unknown names");
        table.addScheduler(new Scheduler() {
            @Override
            public String name() {
                return "mine";
            }

            @Override
            public ServiceScheduler create(final SchedulerContext context) {
                return new ServiceScheduler() {
                    @Override
                    public void update(final List<? extends RealServer> destinations) {
                    }

                    @Override
                    public RealServer schedule(final Flow flow) {
                        return null;
                    }
                };
            }
        });
        assertFalse(table.snapshot().services().get(key).state().isFallback(), "the bundle took over");
    }

    @Test
    void shouldStartEmptyWhenNothingIsGoodAndUseCurrentWhenFine() throws Exception {
        final TableStore store = new TableStore(dir);
        final ServiceTable empty = new ServiceTable();
        assertEquals(TableRecovery.Outcome.EMPTY, TableRecovery.recover(store, TableStoreTest::parse, empty,
                new PersistentTable(empty, store, TableStoreTest::render)));
        store.save("-A 10.0.0.1 80 rr\n");
        final ServiceTable fine = new ServiceTable();
        assertEquals(TableRecovery.Outcome.CURRENT, TableRecovery.recover(store, TableStoreTest::parse, fine,
                new PersistentTable(fine, store, TableStoreTest::render)));
        Files.writeString(store.current(), "x");
        final ServiceTable bad = new ServiceTable();
        assertEquals(TableRecovery.Outcome.NOTHING_GOOD, TableRecovery.recover(store, TableStoreTest::parse, bad,
                new PersistentTable(bad, store, TableStoreTest::render)));
        assertTrue(bad.services().isEmpty());
    }

    @Test
    void shouldSaveOnEveryConfigurationChangeButNotOnZero() throws Exception {
        final TableStore store = new TableStore(dir);
        final ServiceTable table = new ServiceTable();
        final PersistentTable persistent = new PersistentTable(table, store, TableStoreTest::render);
        persistent.apply(parse("-A 10.0.0.1 80 rr\n"));
        assertEquals("-A 10.0.0.1 80 rr\n", store.read(store.current()));
        Files.delete(store.current());
        persistent.apply(List.of(new TableCommand.Zero(null)));
        assertTrue(Files.notExists(store.current()), "zeroing counters is not a change to save");
    }
}
