package io.jvs.core.dataplane;

import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceKey;
import io.jvs.core.port.Port;
import io.jvs.core.route.InterfaceAddress;
import io.jvs.core.route.RouteTable;
import io.jvs.core.svc.Destination;
import io.jvs.core.svc.Service;
import io.jvs.core.svc.TableSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * <p>Rules are rewritten whole, atomically ({@code nft -f}), only when they change; removed on close.
 */
final class KernelGuard {
    private static final Logger LOG = LoggerFactory.getLogger(KernelGuard.class);
    static final String TABLE = "jvs";

    private String applied = "";
    private boolean warned;

    /** The ruleset for these VIPs, NAT realservers and interfaces. */
    static String ruleset(final ServiceIndex index, final TableSnapshot table, final RouteTable routes,
                          final Port[] ports) {
        final TreeSet<String> vips = new TreeSet<>();
        for (final int vip : index.vips()) {
            vips.add(dotted(vip));
        }
        final TreeSet<String> natRs = new TreeSet<>();
        final TreeSet<String> natRsAnyPort = new TreeSet<>();
        for (final Service s : table.services().values()) {
            final ServiceKey k = s.config().key();
            // What the core does not balance (see ServiceIndex) stays the kernel's.
            if (k.isFwmark() || k.isIpv6() || k.protocol() == Protocol.SCTP) {
                continue;
            }
            final String proto = k.protocol().name().toLowerCase(java.util.Locale.ROOT);
            for (final Destination d : s.destinations()) {
                if (d.config().method() == ForwardingMethod.MASQ && d.state().ipv4() != 0) {
                    final int port = d.config().endpoint().port();
                    // Port 0 (a service on all ports): the realserver replies from whatever port the client chose.
                    if (port == 0) {
                        natRsAnyPort.add(dotted(d.state().ipv4()) + " . " + proto);
                    } else {
                        natRs.add(dotted(d.state().ipv4()) + " . " + proto + " . " + port);
                    }
                }
            }
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

    void apply(final ServiceIndex index, final TableSnapshot table, final RouteTable routes, final Port[] ports) {
        final String rules = ruleset(index, table, routes, ports);
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
