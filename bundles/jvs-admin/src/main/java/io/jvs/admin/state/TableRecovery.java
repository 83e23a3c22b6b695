package io.jvs.admin.state;

import io.jvs.api.TableCommand;
import io.jvs.api.TableException;
import io.jvs.api.VirtualServerTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the saved table back at boot. The current file is tried first, then the previous one; a file
 * that is corrupt (digest, syntax, or refused by the table) is moved aside and said so, never loaded in
 * part. When the previous file had to be used, it is saved again as the current one.
 */
public final class TableRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(TableRecovery.class);

    /** Turns a state body into commands, or explains why it cannot. */
    @FunctionalInterface
    public interface Parser {
        List<TableCommand> parse(String body) throws CorruptStateException;
    }

    /** What recovery did, for the log and for tests. */
    public enum Outcome { EMPTY, CURRENT, PREVIOUS, NOTHING_GOOD }

    private TableRecovery() {
    }

    public static Outcome recover(final TableStore store, final Parser parser, final VirtualServerTable table,
                                  final PersistentTable persistent) throws IOException {
        final Path current = store.current();
        final Path previous = store.previous();
        final String problem = tryLoad(store, current, parser, table);
        if (problem == null) {
            return table.services().isEmpty() && table.generation() == 0 && !exists(current)
                    ? fromPrevious(store, previous, parser, table, persistent, null) : Outcome.CURRENT;
        }
        final Path aside = store.quarantine(current);
        LOG.error("State file {} is corrupt ({}); kept it as {}. Starting with the last good table from {}.",
                current, problem, aside, previous);
        return fromPrevious(store, previous, parser, table, persistent, problem);
    }

    private static Outcome fromPrevious(final TableStore store, final Path previous, final Parser parser,
                                        final VirtualServerTable table, final PersistentTable persistent,
                                        final String currentProblem) throws IOException {
        if (!exists(previous)) {
            if (currentProblem != null) {
                LOG.error("No previous state file {}: starting with an empty table.", previous);
                return Outcome.NOTHING_GOOD;
            }
            return Outcome.EMPTY;
        }
        final String problem = tryLoad(store, previous, parser, table);
        if (problem != null) {
            final Path aside = store.quarantine(previous);
            LOG.error("Previous state file is corrupt too ({}); kept it as {}. Starting with an empty table.",
                    problem, aside);
            return Outcome.NOTHING_GOOD;
        }
        LOG.warn("Restored the table from the previous state file {}; saving it as current.", previous);
        persistent.save();
        return Outcome.PREVIOUS;
    }

    /** Loads one file; returns null on success (or when the file does not exist), else what is wrong. */
    private static String tryLoad(final TableStore store, final Path file, final Parser parser,
                                  final VirtualServerTable table) throws IOException {
        try {
            final String body = store.read(file);
            if (body == null) {
                return null;
            }
            final List<TableCommand> commands = parser.parse(body);
            // restore: a scheduler bundle that starts after us is not a corrupt file.
            table.restore(commands);
            LOG.info("Restored {} service(s) from {}", table.services().size(), file);
            return null;
        } catch (final CorruptStateException e) {
            return e.getMessage();
        } catch (final TableException e) {
            return "command " + (e.commandIndex() + 1) + " refused: " + e.getMessage();
        }
    }

    private static boolean exists(final Path p) {
        return java.nio.file.Files.exists(p);
    }
}
