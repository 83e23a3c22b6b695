package io.jvs.admin.cli;

import io.jvs.api.Protocol;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Name lookups through {@link InetAddress} and {@code /etc/services}. Each lookup waits at most
 * {@link #WAIT_MILLIS}; once one times out, lookups stop waiting for {@link #BACKOFF_MILLIS} (they are still
 * started, and their answers cached) so a listing of many addresses against a dead name server stays fast.
 * Answers, negative ones included, are cached.
 */
final class SystemNameResolver implements NameResolver {
    static final long WAIT_MILLIS = 1000;
    static final long BACKOFF_MILLIS = 30_000;
    private static final int MAX_CACHED = 65_536;

    private static volatile SystemNameResolver shared;

    private final ExecutorService lookups = Executors.newFixedThreadPool(4, r -> {
        final Thread t = new Thread(r, "jvs-ipvsadm-dns");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentHashMap<InetAddress, CompletableFuture<Optional<String>>> reverse =
            new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Optional<InetAddress>>> forward =
            new ConcurrentHashMap<>();
    private volatile ServicesDatabase services;
    private volatile long noWaitUntil;

    static SystemNameResolver shared() {
        SystemNameResolver r = shared;
        if (r == null) {
            synchronized (SystemNameResolver.class) {
                r = shared;
                if (r == null) {
                    r = new SystemNameResolver();
                    shared = r;
                }
            }
        }
        return r;
    }

    @Override
    public Optional<InetAddress> addressOf(final String host) {
        if (forward.size() > MAX_CACHED) {
            forward.clear();
        }
        return await(forward.computeIfAbsent(host, h -> start(() -> firstV4(h))));
    }

    @Override
    public Optional<String> nameOf(final InetAddress address) {
        if (reverse.size() > MAX_CACHED) {
            reverse.clear();
        }
        return await(reverse.computeIfAbsent(address, a -> start(() -> hostName(a))));
    }

    @Override
    public OptionalInt portOf(final String service, final Protocol protocol) {
        return services().portOf(service, protocol);
    }

    @Override
    public Optional<String> serviceOf(final int port, final Protocol protocol) {
        return services().serviceOf(port, protocol);
    }

    private ServicesDatabase services() {
        ServicesDatabase s = services;
        if (s == null) {
            s = ServicesDatabase.system();
            services = s;
        }
        return s;
    }

    private <T> CompletableFuture<Optional<T>> start(final Supplier<Optional<T>> lookup) {
        return CompletableFuture.supplyAsync(lookup, lookups);
    }

    private <T> Optional<T> await(final CompletableFuture<Optional<T>> answer) {
        if (answer.isDone() || System.currentTimeMillis() >= noWaitUntil) {
            try {
                return answer.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (final TimeoutException e) {
                noWaitUntil = System.currentTimeMillis() + BACKOFF_MILLIS;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (final ExecutionException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<InetAddress> firstV4(final String host) {
        try {
            for (final InetAddress a : InetAddress.getAllByName(host)) {
                if (a instanceof Inet4Address) {
                    return Optional.of(a);
                }
            }
        } catch (final UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<String> hostName(final InetAddress a) {
        try {
            final InetAddress bare = InetAddress.getByAddress(a.getAddress());
            final String name = bare.getCanonicalHostName();
            return name.equals(bare.getHostAddress()) ? Optional.empty() : Optional.of(name);
        } catch (final UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
