package io.jvs.core.dataplane;

import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceKey;
import io.jvs.core.port.Port;
import io.jvs.core.route.InterfaceAddress;
import io.jvs.core.route.RouteTable;
import io.jvs.core.svc.Destination;
import io.jvs.core.svc.DestinationState;
import io.jvs.core.svc.Service;
import io.jvs.core.svc.TableSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the director's kernel off the traffic the core handles, with an nftables {@code netdev} table on the
 * data-plane interfaces' ingress hook. AF_PACKET taps run before that hook, so the core still sees every
 * frame; the kernel then neither routes VIP traffic (it does not own the VIPs) nor forwards the un-rewritten
 * replies of NAT realservers (which would reach the client from the realserver's address and be reset).
 * Traffic to the director's own addresses (health checks, management) is left alone.
 *
 * <p>A NAT realserver deleted while connections still point to it (in the trash, as between {@code ipvsadm -C} and
 * {@code -R}) stays in the guard until they end: its replies are still the core's to rewrite, and a kernel with
 * {@code ip_forward} on would otherwise forward them raw, the client would answer the realserver's address with a
 * reset, and the realserver would drop the connection.
 *
 * <p>Rules are rewritten whole, atomically ({@code nft -f}), only when they change; removed on close.
 */
final class KernelGuard {
    private static final Logger LOG = LoggerFactory.getLogger(KernelGuard.class);
    static final String TABLE = "jvs";

    private String applied = "";
    private boolean warned;

    /** The ruleset for these VIPs, NAT realservers and interfaces, with no deleted realserver in use. */
    static String ruleset(final ServiceIndex index, final TableSnapshot table, final RouteTable routes,
                          final Port[] ports) {
        return ruleset(index, table, List.of(), routes, ports);
    }

    /**
     * The ruleset for these VIPs, NAT realservers and interfaces; {@code trashed} are the deleted realservers that
     * connections still point to, with their old service's key.
     */
    static String ruleset(final ServiceIndex index, final TableSnapshot table,
                          final List<Map.Entry<ServiceKey, DestinationState>> trashed, final RouteTable routes,
                          final Port[] ports) {
        final TreeSet<String> vips = new TreeSet<>();
        for (final int vip : index.vips()) {
            vips.add(dotted(vip));
        }
        final TreeSet<String> natRs = new TreeSet<>();
        final TreeSet<String> natRsAnyPort = new TreeSet<>();
        for (final Service s : table.services().values()) {
            for (final Destination d : s.destinations()) {
                natRealserver(s.config().key(), d.state(), natRs, natRsAnyPort);
            }
        }
        for (final Map.Entry<ServiceKey, DestinationState> t : trashed) {
            natRealserver(t.getKey(), t.getValue(), natRs, natRsAnyPort);
        }
        final TreeSet<String> dips = new TreeSet<>();
        for (final InterfaceAddress a : routes.addresses()) {
            dips.add(dotted(a.address()));
        }
        final StringBuilder b = new StringBuilder();
        b.append("table netdev ").append(TABLE).append("\ndelete table netdev ").append(TABLE).append('\n');
        b.append("table netdev ").append(TABLE).append(" {\n");
        set(b, "vips", "ipv4_addr", vips);
        set(b, "nat_rs", "ipv4_addr . inet_proto . inet_service", natRs);
        set(b, "nat_rs_any_port", "ipv4_addr . inet_proto", natRsAnyPort);
        set(b, "dips", "ipv4_addr", dips);
        for (final Port p : ports) {
            b.append("  chain in_").append(p.name().replaceAll("[^A-Za-z0-9_]", "_"))
                    .append(" {\n    type filter hook ingress device \"").append(p.name())
                    .append("\" priority -500; policy accept;\n")
                    .append("    ip daddr @vips counter drop\n")
                    .append("    ip saddr . meta l4proto . th sport @nat_rs ip daddr != @dips counter drop\n")
                    .append("    ip saddr . meta l4proto @nat_rs_any_port ip daddr != @dips counter drop\n")
                    .append("  }\n");
        }
        return b.append("}\n").toString();
    }

    /** Adds a masquerading realserver of service {@code k} to the set its replies are matched by. */
    private static void natRealserver(final ServiceKey k, final DestinationState d, final TreeSet<String> natRs,
                                      final TreeSet<String> natRsAnyPort) {
        // What the core does not balance (see ServiceIndex) stays the kernel's.
        if (k.isFwmark() || k.isIpv6() || k.protocol() == Protocol.SCTP
                || d.method() != ForwardingMethod.MASQ || d.ipv4() == 0) {
            return;
        }
        final String proto = k.protocol().name().toLowerCase(java.util.Locale.ROOT);
        final int port = d.config().endpoint().port();
        // Port 0 (a service on all ports): the realserver replies from whatever port the client chose.
        if (port == 0) {
            natRsAnyPort.add(dotted(d.ipv4()) + " . " + proto);
        } else {
            natRs.add(dotted(d.ipv4()) + " . " + proto + " . " + port);
        }
    }

    private static void set(final StringBuilder b, final String name, final String type, final TreeSet<String> elements) {
        b.append("  set ").append(name).append(" { type ").append(type).append(';');
        if (!elements.isEmpty()) {
            b.append(" elements = { ").append(String.join(", ", elements)).append(" }");
        }
        b.append(" }\n");
    }

    static String dotted(final int a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xFF) + "." + (a >>> 8 & 0xFF) + "." + (a & 0xFF);
    }

    void apply(final ServiceIndex index, final TableSnapshot table,
               final List<Map.Entry<ServiceKey, DestinationState>> trashed, final RouteTable routes, final Port[] ports) {
        final String rules = ruleset(index, table, trashed, routes, ports);
        if (rules.equals(applied)) {
            return;
        }
        if (nft(rules)) {
            applied = rules;
        }
    }

    void remove() {
        if (!applied.isEmpty()) {
            nft("table netdev " + TABLE + "\ndelete table netdev " + TABLE + "\n");
            applied = "";
        }
    }

    private boolean nft(final String input) {
        try {
            final Process p = new ProcessBuilder("nft", "-f", "-").redirectErrorStream(true).start();
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            final byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                LOG.warn("nft did not finish in 10 s; kernel guard not updated");
                return false;
            }
            if (p.exitValue() != 0) {
                LOG.warn("nft refused the kernel guard rules: {}", new String(out, StandardCharsets.UTF_8).trim());
                return false;
            }
            return true;
        } catch (final IOException e) {
            if (!warned) {
                warned = true;
                LOG.warn("nft is not available ({}): the kernel also sees the traffic the core handles; "
                        + "drop VIP traffic at ingress yourself", e.getMessage());
            }
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
