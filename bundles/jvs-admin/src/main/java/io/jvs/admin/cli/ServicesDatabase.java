package io.jvs.admin.cli;

import io.jvs.api.Protocol;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An {@code /etc/services} file: {@code name port/protocol [aliases] [# comment]}. Lookups answer with the first
 * matching line, as {@code getservbyname} and {@code getservbyport} do.
 */
final class ServicesDatabase {
    static final ServicesDatabase EMPTY = new ServicesDatabase(Map.of(), Map.of());

    private final Map<String, Integer> ports;
    private final Map<String, String> names;

    private ServicesDatabase(final Map<String, Integer> ports, final Map<String, String> names) {
        this.ports = ports;
        this.names = names;
    }

    static ServicesDatabase read(final Reader in) throws IOException {
        final Map<String, Integer> ports = new HashMap<>();
        final Map<String, String> names = new HashMap<>();
        final BufferedReader r = new BufferedReader(in);
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            final int hash = line.indexOf('#');
            final String[] f = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
            if (f.length < 2) {
                continue;
            }
            final int slash = f[1].indexOf('/');
            if (slash <= 0) {
                continue;
            }
            final long port = InetText.number(f[1].substring(0, slash), 0, 65535);
            if (port < 0) {
                continue;
            }
            final String proto = f[1].substring(slash + 1).toLowerCase(Locale.ROOT);
            names.putIfAbsent(port + "/" + proto, f[0]);
            for (int i = 0; i < f.length; i++) {
                if (i != 1) {
                    ports.putIfAbsent(f[i] + "/" + proto, (int) port);
                }
            }
        }
        return new ServicesDatabase(ports, names);
    }

    /** The system's file; empty when it cannot be read. */
    static ServicesDatabase system() {
        final Path p = Path.of("/etc/services");
        try (Reader in = Files.newBufferedReader(p, StandardCharsets.ISO_8859_1)) {
            return read(in);
        } catch (final IOException | RuntimeException e) {
            return EMPTY;
        }
    }

    OptionalInt portOf(final String service, final Protocol protocol) {
        final Integer p = ports.get(service + "/" + key(protocol));
        return p == null ? OptionalInt.empty() : OptionalInt.of(p);
    }

    Optional<String> serviceOf(final int port, final Protocol protocol) {
        return Optional.ofNullable(names.get(port + "/" + key(protocol)));
    }

    private static String key(final Protocol protocol) {
        return protocol.name().toLowerCase(Locale.ROOT);
    }
}
