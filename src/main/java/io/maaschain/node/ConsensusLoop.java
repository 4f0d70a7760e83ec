package io.maaschain.node;

import io.maaschain.chain.consensus.ConsensusDriver;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.storage.StorageException;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a consensus protocol in a live node: one thread owns the {@link ConsensusDriver} (and so the protocol, which
 * must never see two threads) and feeds it, one at a time, peer messages, head changes and clock ticks. Others only
 * enqueue. The thread sleeps until the next input or the time the protocol asked to be woken at, whichever is first,
 * and ticks at least every {@link #MAX_IDLE_MILLIS} (an early tick is harmless to a protocol).
 */
public final class ConsensusLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsensusLoop.class);
    static final long MAX_IDLE_MILLIS = 1_000;
    static final int MAX_QUEUED_MESSAGES = 20_000;

    private sealed interface Input {}

    private record PeerMessage(ConsensusMessage message) implements Input {}

    private enum Signal implements Input { HEAD_CHANGED, STOP }

    private final ConsensusDriver driver;
    private final LongSupplier clock;
    private final BlockingQueue<Input> inputs = new LinkedBlockingQueue<>(MAX_QUEUED_MESSAGES);
    /** Head changes coalesce: the protocol reads the head itself, so one pending notice is enough. */
    private final AtomicBoolean headChangePending = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong storageFailures = new AtomicLong();
    private final AtomicLong stepFailures = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String state = "starting";

    public ConsensusLoop(ConsensusDriver driver, LongSupplier clock) {
        this.driver = driver;
        this.clock = clock;
        this.thread = new Thread(this::run, "consensus");
    }

    public ConsensusLoop start() {
        thread.start();
        return this;
    }

    /** A verified message from a peer. Never blocks: past {@link #MAX_QUEUED_MESSAGES} waiting, messages are dropped. */
    public void onMessage(ConsensusMessage message) {
        if (!inputs.offer(new PeerMessage(message))) {
            long n = dropped.incrementAndGet();
            if (Long.bitCount(n) == 1) LOG.warn("consensus input queue full: {} peer messages dropped so far", n);
        }
    }

    /** The chain's head changed (called by a chain listener, on whatever thread imported the block). */
    public void onHeadChanged() {
        if (headChangePending.compareAndSet(false, true) && !inputs.offer(Signal.HEAD_CHANGED)) headChangePending.set(false);
    }

    /** The protocol's own summary, as of its last input (round, step, locked block...), for status and logs. */
    public String describe() {
        return state;
    }

    public long processedInputs() {
        return processed.get();
    }

    /** Why consensus halted on this node (docs/operator-guide.md, "Halted consensus"); empty while it runs. */
    public Optional<String> halted() {
        return driver.halted();
    }

    private void run() {
        try {
            driver.start(clock.getAsLong());
        } catch (StorageException e) {
            LOG.error("consensus could not start: {}", e.getMessage());
            driver.halt("the protocol could not start: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("consensus protocol failed to start", e);
            driver.halt("the protocol failed to start: " + e);
        }
        state = driver.protocol().describe();
        while (running) {
            try {
                long wait = Math.clamp(driver.nextWake() - clock.getAsLong(), 0, MAX_IDLE_MILLIS);
                Input in = inputs.poll(wait, TimeUnit.MILLISECONDS);
                if (in == Signal.STOP) break;
                if (in != null) handle(in);
                long now = clock.getAsLong();
                if (in == null || now >= driver.nextWake()) driver.tick(now);
                state = driver.protocol().describe();
                processed.incrementAndGet();
            } catch (InterruptedException e) {
                break;
            } catch (StorageException e) {
                // The disk refused a write (full, or an I/O error): the step is retried by later inputs and timeouts,
                // and consensus resumes by itself once the disk accepts writes again. Logged once per power of two.
                if (Long.bitCount(storageFailures.incrementAndGet()) == 1) {
                    LOG.error("consensus step failed on storage ({} times so far): {}", storageFailures.get(), e.getMessage());
                }
            } catch (RuntimeException e) {
                // Inputs are decoded and verified before they get here, so this is a defect. It is logged with its
                // trace (once per power of two) and counted; consensus goes on, since the slashing protection still
                // guards every signature. A decided block that cannot be imported halts (ConsensusDriver).
                if (Long.bitCount(stepFailures.incrementAndGet()) == 1) LOG.error("consensus step failed ({} times so far)", stepFailures.get(), e);
            }
        }
    }

    private void handle(Input in) {
        long now = clock.getAsLong();
        switch (in) {
            case PeerMessage m -> driver.message(m.message(), now);
            case Signal s when s == Signal.HEAD_CHANGED -> {
                headChangePending.set(false);
                driver.headChanged(now);
            }
            case Signal s -> { }
        }
    }

    @Override
    public void close() {
        running = false;
        inputs.clear();
        inputs.offer(Signal.STOP);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) thread.interrupt();
    }
}
