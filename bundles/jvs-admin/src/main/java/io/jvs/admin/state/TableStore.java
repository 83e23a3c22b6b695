package io.jvs.admin.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where the table lives on disk: {@code table.conf} (current) and {@code table.conf.prev} (the one before).
 * A save writes a temporary file, forces it to disk, keeps the current file as the previous one and renames
 * the new one into place, then forces the directory: a crash at any point leaves a complete file. A file
 * found corrupt at boot is moved aside (never deleted, never overwritten) and the previous one is used.
 */
public final class TableStore {
    public static final String CURRENT = "table.conf";
    public static final String PREVIOUS = "table.conf.prev";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path dir;

    public TableStore(final Path dir) {
        this.dir = dir;
    }

    public Path current() {
        return dir.resolve(CURRENT);
    }

    public Path previous() {
        return dir.resolve(PREVIOUS);
    }

    /** Saves a body atomically and durably. */
    public void save(final String body) throws IOException {
        Files.createDirectories(dir);
        final Path tmp = dir.resolve(CURRENT + ".tmp");
        final byte[] bytes = StateFile.wrap(body).getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            final ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        if (Files.exists(current())) {
            move(current(), previous());
        }
        move(tmp, current());
        forceDirectory();
    }

    /**
     * Reads the body of a saved file.
     *
     * @return null when the file does not exist
     * @throws CorruptStateException when it exists but cannot be trusted
     */
    public String read(final Path file) throws IOException, CorruptStateException {
        final String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (final NoSuchFileException e) {
            return null;
        } catch (final java.nio.charset.MalformedInputException e) {
            throw new CorruptStateException("not UTF-8 text");
        }
        return StateFile.unwrap(text);
    }

    /** Moves a corrupt file aside under a time-stamped name; returns where it went. */
    public Path quarantine(final Path file) throws IOException {
        final Path aside = dir.resolve(file.getFileName() + ".corrupt-" + STAMP.format(Instant.now()));
        move(file, aside);
        forceDirectory();
        return aside;
    }

    private static void move(final Path from, final Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (final AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void forceDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (final IOException e) {
            // Some file systems cannot sync a directory; the rename itself is still atomic there.
        }
    }
}
