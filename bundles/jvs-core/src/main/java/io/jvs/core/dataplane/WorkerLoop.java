package io.jvs.core.dataplane;

import com.sun.jna.Memory;
import io.jvs.core.os.LibC;
import io.jvs.core.port.Port;
import java.util.concurrent.locks.LockSupport;

/**
 * The loop of one worker thread: a pass over its queues, then work on, spin, nap or sleep in poll(2) as its
 * {@link IdlePolicy} says.
 *
 * <p>The body of the loop is {@link #step()}, a method of its own, so that the JIT compiles it by invocation count
 * after a few hundred passes at any load. A loop body that lives only inside one long-running method is compiled
 * by on-stack replacement, which waits for tens of thousands of back-edges, and after any deoptimisation runs
 * interpreted until as many have passed again: minutes at 100 frames/s. Measured before this split, at 100
 * requests/s, 9 % of the worker's time went to the interpreter.
 */
final class WorkerLoop {
    /**
     * How long a sleeping worker waits in poll(2) while it holds frames for an unresolved next hop. With none held
     * it waits for a frame or the wake-up descriptor: a regular timer would wake it (and on a VM an idle vCPU)
     * for nothing, and at a steady request rate such wake-ups fall right before the requests.
     */
    static final int HOLDING_POLL_MILLIS = 10;
    static final int IDLE_POLL_MILLIS = 1000;

    private final Worker worker;
    private final IdlePolicy idle;
    private final long napNanos;
    private final Memory fds;
    private final int nfds;

    /**
     * Built on the worker's own thread: the timer slack it sets is per thread.
     *
     * @param ports  the data plane's ports; the loop sleeps on their receive rings for {@code queue}
     * @param wakeFd the eventfd {@code close()} writes, or -1; without pollable rings (in-memory ports) the loop
     *               sleeps 1 ms instead of polling
     */
    WorkerLoop(final Worker worker, final Port[] ports, final int queue, final int wakeFd,
               final DataplaneSettings settings) {
        this.worker = worker;
        this.napNanos = settings.napMicros() * 1000L;
        this.idle = new IdlePolicy(settings.busyPollMicros(), settings.busyPollMaxPps(), settings.napMicros(),
                System.nanoTime());
        final int[] pollFds = new int[ports.length + 1];
        int n = 0;
        for (final Port p : ports) {
            final int fd = p.pollFd(queue);
            if (fd >= 0) {
                pollFds[n++] = fd;
            }
        }
        if (n > 0 && wakeFd >= 0) {
            pollFds[n++] = wakeFd;
        }
        this.nfds = n;
        this.fds = new Memory(8L * Math.max(1, n));
        for (int i = 0; i < n; i++) {
            fds.setInt(8L * i, pollFds[i]);
            fds.setShort(8L * i + 4, (short) LibC.POLLIN);
            fds.setShort(8L * i + 6, (short) 0);
        }
        if (napNanos > 0) {
            // Naps end within a tenth of their length rather than the default 50 µs slack.
            LibC.timerSlack(Math.max(1000L, napNanos / 10));
        }
    }

    /** One pass and what follows it. */
    void step() throws InterruptedException {
        final int action = idle.next(worker.poll(64), System.nanoTime());
        if (action == IdlePolicy.SPIN) {
            Thread.onSpinWait();
        } else if (action == IdlePolicy.NAP) {
            LockSupport.parkNanos(napNanos);
        } else if (action == IdlePolicy.SLEEP) {
            if (nfds > 0) {
                // Until a frame lands (or close() writes the wake-up descriptor).
                LibC.poll(fds, nfds, worker.holding() ? HOLDING_POLL_MILLIS : IDLE_POLL_MILLIS);
            } else {
                Thread.sleep(1);
            }
        }
    }
}
