package io.jvs.core.dataplane;

import com.sun.jna.Memory;
import io.jvs.core.os.LibC;
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
     * @param pollFds the descriptors to sleep on (one receive ring per port, then the wake-up eventfd); none
     *                means the ports cannot be waited on (in-memory ports), and the loop sleeps 1 ms instead
     */
    WorkerLoop(final Worker worker, final DataplaneSettings settings, final int[] pollFds) {
        this.worker = worker;
        this.napNanos = settings.napMicros() * 1000L;
        this.idle = new IdlePolicy(settings.busyPollMicros(), settings.busyPollMaxPps(), settings.napMicros(),
                System.nanoTime());
        this.nfds = pollFds.length;
        this.fds = new Memory(8L * Math.max(1, nfds));
        for (int i = 0; i < nfds; i++) {
            fds.setInt(8L * i, pollFds[i]);
            fds.setShort(8L * i + 4, (short) LibC.POLLIN);
            fds.setShort(8L * i + 6, (short) 0);
        }
    }

    /** One pass and what follows it; returns the frames the pass received. */
    int step() throws InterruptedException {
        final int frames = worker.poll(64);
        final int action = idle.next(frames, System.nanoTime());
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
        return frames;
    }
}
