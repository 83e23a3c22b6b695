package io.jvs.jmh;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.LoadBoard;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.SchedulerContext;
import io.jvs.api.sched.ServiceScheduler;
import io.jvs.sched.classic.LeastConnection;
import io.jvs.sched.classic.NeverQueue;
import io.jvs.sched.classic.PowerOfTwosChoice;
import io.jvs.sched.classic.RoundRobin;
import io.jvs.sched.classic.ShortestExpectedDelay;
import io.jvs.sched.classic.WeightedFailover;
import io.jvs.sched.classic.WeightedLeastConnection;
import io.jvs.sched.classic.WeightedOverflow;
import io.jvs.sched.classic.WeightedRoundRobin;
import io.jvs.sched.hashing.DestinationHashing;
import io.jvs.sched.hashing.MaglevHashing;
import io.jvs.sched.hashing.SourceHashing;
import io.jvs.sched.locality.LocalityBasedLeastConnection;
import io.jvs.sched.locality.LocalityBasedLeastConnectionWithReplication;

/**
 * Cost of one scheduling decision per IPVS scheduler, for 8, 100 and 1,000 destinations, by one worker and by two
 * workers sharing the virtual service. Loads are fixed and varied; clients and destination addresses cycle through
 * 4,096 values (lblc and lblcr therefore measure cache hits). The destinations are handed over in a
 * {@link LoadBoard} as the packet core hands them; what keeping it current costs per connection event is in
 * {@code PipelineBenchmark.newConnection}. Run {@code java -jar target/benchmarks.jar
 * SchedulerBenchmark -prof gc} to see the allocation per decision.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SchedulerBenchmark {
    private static final int FLOWS = 4096;

    @State(Scope.Benchmark)
    public static class Service {
        @Param({"rr", "wrr", "lc", "wlc", "sed", "nq", "fo", "ovf", "twos", "sh", "dh", "mh", "lblc", "lblcr"})
        public String scheduler;

        @Param({"8", "100", "1000"})
        public int destinations;

        ServiceScheduler state;

        @Setup(Level.Trial)
        public void setUp() throws UnknownHostException {
            final SplittableRandom random = new SplittableRandom(1);
            final List<RealServer> dests = new ArrayList<>();
            for (int i = 0; i < destinations; i++) {
                dests.add(new Server(InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >> 8), (byte) i}), 80,
                    1 + (i * 7) % 100, random.nextInt(50), random.nextInt(200)));
            }
            state = byName(scheduler).create(new Context());
            // As the packet core does: a board it keeps current (loads are fixed here, so nothing is pushed).
            state.update(LoadBoard.pushed(dests));
        }
    }

    @State(Scope.Thread)
    public static class Flows {
        final FlowRecord[] flows = new FlowRecord[FLOWS];
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            final SplittableRandom random = new SplittableRandom(ThreadLocalRandom.current().nextLong());
            for (int i = 0; i < FLOWS; i++) {
                flows[i] = new FlowRecord(random.nextInt(), 1024 + random.nextInt(60000), 0xCB007100 + i);
            }
        }

        Flow next() {
            final FlowRecord flow = flows[next];
            next = (next + 1) & (FLOWS - 1);
            return flow;
        }
    }

    @Benchmark
    @Threads(1)
    public RealServer oneWorker(final Service service, final Flows flows) {
        return service.state.schedule(flows.next());
    }

    @Benchmark
    @Threads(2)
    public RealServer twoWorkers(final Service service, final Flows flows) {
        return service.state.schedule(flows.next());
    }

    static Scheduler byName(final String name) {
        switch (name) {
            case "rr": return new RoundRobin();
            case "wrr": return new WeightedRoundRobin();
            case "lc": return new LeastConnection();
            case "wlc": return new WeightedLeastConnection();
            case "sed": return new ShortestExpectedDelay();
            case "nq": return new NeverQueue();
            case "fo": return new WeightedFailover();
            case "ovf": return new WeightedOverflow();
            case "twos": return new PowerOfTwosChoice();
            case "sh": return new SourceHashing();
            case "dh": return new DestinationHashing();
            case "mh": return new MaglevHashing();
            case "lblc": return new LocalityBasedLeastConnection();
            case "lblcr": return new LocalityBasedLeastConnectionWithReplication();
            default: throw new IllegalArgumentException(name);
        }
    }

    static final class Context implements SchedulerContext {
        private volatile long now = 1_000L;

        @Override
        public int schedFlags() {
            return 0;
        }

        @Override
        public long nowMillis() {
            return now;
        }

        @Override
        public int nextRandom() {
            return ThreadLocalRandom.current().nextInt();
        }
    }

    static final class Server implements RealServer {
        private final InetAddress address;
        private final int port;
        private final int weight;
        private final int active;
        private final int inactive;
        private final int fold;

        Server(final InetAddress address, final int port, final int weight, final int active, final int inactive) {
            this.address = address;
            this.port = port;
            this.weight = weight;
            this.active = active;
            this.inactive = inactive;
            final byte[] b = address.getAddress();
            this.fold = ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
        }

        @Override
        public int weight() {
            return weight;
        }

        @Override
        public boolean isOverloaded() {
            return false;
        }

        @Override
        public int activeConns() {
            return active;
        }

        @Override
        public int inactiveConns() {
            return inactive;
        }

        @Override
        public InetAddress address() {
            return address;
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public int addressFold() {
            return fold;
        }
    }

    static final class FlowRecord implements Flow {
        private final int source;
        private final int sourcePort;
        private final int destination;

        FlowRecord(final int source, final int sourcePort, final int destination) {
            this.source = source;
            this.sourcePort = sourcePort;
            this.destination = destination;
        }

        @Override
        public boolean isIpv6() {
            return false;
        }

        @Override
        public int sourceAddressFold() {
            return source;
        }

        @Override
        public int sourcePort() {
            return sourcePort;
        }

        @Override
        public int destinationAddressFold() {
            return destination;
        }

        @Override
        public long destinationAddressHigh() {
            return 0;
        }

        @Override
        public long destinationAddressLow() {
            return destination & 0xFFFF_FFFFL;
        }

        @Override
        public int destinationPort() {
            return 80;
        }

        @Override
        public int protocol() {
            return 6;
        }
    }
}
