package io.jvs.admin.cli;

import io.jvs.api.Protocol;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** A name service for tests: fixed host names and the services file among the test resources. */
final class TestNames implements NameResolver {
    private final Map<String, InetAddress> forward = new HashMap<>();
    private final Map<InetAddress, String> reverse = new HashMap<>();
    private final ServicesDatabase services;
    int reverseLookups;

    TestNames() {
        try (Reader r = new InputStreamReader(TestNames.class.getResourceAsStream("services"),
                StandardCharsets.UTF_8)) {
            services = ServicesDatabase.read(r);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        host("localhost", "127.0.0.1", true);
    }

    /** Adds a host; {@code reverse} also makes the address resolve back to the name. */
    TestNames host(final String name, final String address, final boolean reverseToo) {
        final InetAddress a = Cli.ip(address);
        forward.put(name, a);
        if (reverseToo) {
            reverse.put(a, name);
        }
        return this;
    }

    @Override
    public Optional<InetAddress> addressOf(final String host) {
        return Optional.ofNullable(forward.get(host));
    }

    @Override
    public Optional<String> nameOf(final InetAddress address) {
        reverseLookups++;
        return Optional.ofNullable(reverse.get(address));
    }

    @Override
    public OptionalInt portOf(final String service, final Protocol protocol) {
        return services.portOf(service, protocol);
    }

    @Override
    public Optional<String> serviceOf(final int port, final Protocol protocol) {
        return services.serviceOf(port, protocol);
    }
}
