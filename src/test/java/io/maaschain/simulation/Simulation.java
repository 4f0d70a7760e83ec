package io.maaschain.simulation;

import io.maaschain.chain.BlockBuilder;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.BlockchainView;
import io.maaschain.chain.ImportResult;
import io.maaschain.chain.consensus.ConsensusDriver;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.protocol.ConsensusProtocol;
import io.maaschain.consensus.protocol.GuardedSigner;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.crypto.Address;
import io.maaschain.ledger.tx.CallContract;
import io.maaschain.ledger.tx.DeployCode;
import io.maaschain.ledger.tx.Instantiate;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.ledger.vote.VoteCodec;
import io.maaschain.state.ContractRecords;
import io.maaschain.state.SignatureCheck;
import io.maaschain.state.TxResult;
import io.maaschain.txpool.TxPool;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A deterministic discrete-event simulation of a validator network in one thread. A virtual clock and a queue of
 * events ordered by (time, sequence number) replace time and sockets; one {@link SplittableRandom} seeded from the
 * scenario seed draws every delay, drop and fault, so a seed always replays the same run. Each node is the real
 * chain, pool, builder, driver and engine protocol; only the network and the disk are simulated.
 */
public final class Simulation {
    public static final long CHAIN_ID = 1337;
    public static final long GENESIS_TIME = 1_700_000_000_000L;
    /** The run starts a little after genesis, as a real network would. */
    static final long START = GENESIS_TIME + 1_000;
    private static final long SYNC_INTERVAL = 1_000;

    private record Event(long time, long seq, Runnable action) {}

    private final SimEngine simEngine;
    final Scenario scenario;
    final SplittableRandom random;
    final Genesis genesis;
    final List<SimNode> nodes = new ArrayList<>();
    private final KeyPair user = key("user");
    private final PriorityQueue<Event> queue = new PriorityQueue<>(Comparator.comparingLong(Event::time).thenComparingLong(Event::seq));
    private final MessageDigest trace = Sha256.newDigest();
    private final FinalityLedger ledger;
    private final List<String> violations = new ArrayList<>();
    private long now = START;
    private long seq;
    private boolean partitioned;
    private long events;
    int equivocationsSent;
    int equivocationsDelivered;
    /** With {@link #withContracts()}, the user also deploys, instantiates and calls contracts. */
    private boolean contracts;
    private boolean deploySent;
    private final List<Address> instances = new ArrayList<>();

    public Simulation(SimEngine simEngine, long seed) {
        this(simEngine, seed, false);
    }

    /** {@code faultFree}: the seed's delays only, no drops, partition, crash or Byzantine node (a baseline). */
    public Simulation(SimEngine simEngine, long seed, boolean faultFree) {
        this(simEngine, seed, faultFree, Scenario.VALIDATORS);
    }

    /** {@code validators}: the network's size (4 in every build; 21 and 100 in {@code LargeNetworkSimulation}). */
    public Simulation(SimEngine simEngine, long seed, boolean faultFree, int validators) {
        this.simEngine = simEngine;
        this.random = new SplittableRandom(seed);
        Scenario drawn = Scenario.draw(seed, random, simEngine.livenessWindowMillis(), validators);
        this.scenario = faultFree ? drawn.faultFree(simEngine.livenessWindowMillis()) : drawn;
        List<KeyPair> keys = new ArrayList<>();
        for (int i = 0; i < scenario.validators(); i++) keys.add(key("validator " + i));
        this.genesis = GenesisParser.parse(genesisJson(simEngine.consensusSection(keys), keys));
        for (int i = 0; i < keys.size(); i++) nodes.add(new SimNode(i, keys.get(i), scenario.isByzantine(i)));
        this.ledger = new FinalityLedger(keys.size());
    }

    /**
     * The user's load mixes contract transactions into the transfers: a deploy of a counter contract, instances of
     * it, calls that succeed, and calls that run out of gas. Every node executes them when it imports the blocks, so
     * a node computing another gas, result or storage would compute another state root and refuse the block.
     */
    public Simulation withContracts() {
        this.contracts = true;
        return this;
    }

    static KeyPair key(String name) {
        return KeyPair.fromSeed(Sha256.hash(("simulation " + name).getBytes(StandardCharsets.UTF_8)).toBytes());
    }

    private String genesisJson(String consensus, List<KeyPair> keys) {
        StringBuilder alloc = new StringBuilder("\"" + user.address() + "\": 1000000000");
        for (KeyPair k : keys) alloc.append(", \"").append(k.address()).append("\": 1000000000");
        return """
                {"chainId": %d, "timestamp": %d, "minTxFee": 1, "maxBlockTransactions": 100, "maxBlockBytes": 1048576,
                 "consensus": %s, "alloc": {%s}}""".formatted(CHAIN_ID, GENESIS_TIME, consensus, alloc);
    }

    /** Runs the scenario to its end and checks safety, liveness and accountability. */
    public SimResult run() {
        Scenario s = scenario;
        for (SimNode n : nodes) boot(n);
        if (s.partitionEnd() > s.partitionStart()) {
            at(START + s.partitionStart(), () -> partitioned = true);
            at(START + s.partitionEnd(), () -> partitioned = false);
        }
        for (int i = 0; i < s.crashed().size(); i++) {
            SimNode victim = nodes.get(s.crashed().get(i));
            long restartDelay = s.restartDelays().get(i);
            if (s.fault() == Scenario.Fault.CRASH_LOCKED_WITH_BYZANTINE) {
                at(START + s.crashAt(), () -> armCrashOnSave(victim, restartDelay));
            } else {
                at(START + s.crashAt(), () -> crash(victim));
                at(START + s.crashAt() + restartDelay, () -> boot(victim));
            }
        }
        for (SimNode n : nodes) at(START + random.nextLong(SYNC_INTERVAL), () -> syncRound(n));
        at(START + 200 + random.nextLong(1_000), this::submitUserTransaction);
        long[] finalAtHeal = new long[1];
        at(START + s.healedAt(), () -> finalAtHeal[0] = maxHonestFinal());

        long end = START + s.endAt();
        while (!queue.isEmpty() && queue.peek().time() <= end) {
            Event e = queue.poll();
            now = e.time();
            traceLong(now);
            traceLong(e.seq());
            e.action().run();
            events++;
            if (armed != null) crashIfSaved();
            for (SimNode n : nodes) if (!n.byzantine && n.chain != null) ledger.observe(n, now);
        }
        now = end;
        checkLiveness(finalAtHeal[0]);
        checkAccountability();
        List<String> all = new ArrayList<>(ledger.violations());
        all.addAll(violations);
        for (SimNode n : nodes) {
            trace(n.chain.head().hash());
            trace(n.chain.finalized().hash());
        }
        long[] finals = nodes.stream().mapToLong(n -> n.chain.finalized().height()).toArray();
        long[] heads = nodes.stream().mapToLong(n -> n.chain.head().height()).toArray();
        return new SimResult(s, Hash.wrap(trace.digest()), all, finals, heads, events, equivocationsSent, equivocationsDelivered,
                contracts ? contractResults() : java.util.Map.of());
    }

    private long maxHonestFinal() {
        return nodes.stream().filter(n -> !n.byzantine).mapToLong(n -> n.chain.finalized().height()).max().orElse(0);
    }

    /** Liveness: once the network has healed and every node is back, every honest node finalizes K more blocks. */
    private void checkLiveness(long finalAtHeal) {
        long required = finalAtHeal + simEngine.livenessBlocks();
        boolean stalled = false;
        for (SimNode n : nodes) {
            if (n.byzantine) continue;
            long f = n.chain.finalized().height();
            if (f < required) {
                stalled = true;
                violations.add("liveness: " + n + " has finalized height " + f + " at the end, " + (scenario.endAt() - scenario.healedAt())
                        + "ms after healing; at healing the highest was " + finalAtHeal + ", so " + required + " was required (head height "
                        + n.chain.head().height() + ")");
            }
        }
        // Where each protocol stands, so a stall can be read off the failure message.
        if (stalled) for (SimNode n : nodes) violations.add("  " + n + ": " + n.driver.protocol().describe());
    }

    /** Accountability: an equivocation that reached an honest node ends with the offender slashed on every honest node's chain. */
    private void checkAccountability() {
        if (scenario.byzantine() == Scenario.NONE || equivocationsDelivered == 0) return;
        SimNode offender = nodes.get(scenario.byzantine());
        for (SimNode n : nodes) {
            if (n.byzantine) continue;
            if (!simEngine.isSlashed(n.chain.headState(), offender.key.publicKey())) {
                violations.add("accountability: " + offender + " equivocated (" + equivocationsDelivered + " conflicting messages delivered) but "
                        + n + " does not see it slashed at head height " + n.chain.head().height());
            }
        }
    }

    // ---- the event queue ----

    long now() {
        return now;
    }

    void at(long time, Runnable action) {
        queue.add(new Event(Math.max(time, now), seq++, action));
    }

    private void traceLong(long v) {
        trace.update(ByteBuffer.allocate(8).putLong(v).array());
    }

    private void trace(Hash h) {
        trace.update(h.toBytes());
    }

    private void trace(String label, SimNode from, SimNode to, Hash what) {
        trace.update(label.getBytes(StandardCharsets.US_ASCII));
        traceLong(from.id * 16L + to.id);
        trace(what);
    }

    // ---- nodes: boot, crash, wake-ups and chain events ----

    private void boot(SimNode n) {
        ConsensusEngine engine = simEngine.engine(genesis);
        n.chain = Blockchain.open(n.store, genesis, engine, SignatureCheck.VERIFY);
        n.pool = new TxPool(n.chain.transition(), SignatureCheck.VERIFY, TxPool.Limits.DEFAULT);
        n.builder = new BlockBuilder(n.chain, SignatureCheck.VERIFY);
        n.alive = true;
        n.wakeScheduled = Long.MAX_VALUE;
        n.headChangePending = false;
        GuardedSigner signer = new GuardedSigner(n.key, CHAIN_ID, n.signingHistory);
        ConsensusProtocol protocol = simEngine.protocol(genesis, engine, new BlockchainView(n.chain, this::now), signer, n.key);
        ConsensusDriver.Network network = m -> broadcast(n, m);
        if (n.byzantine) {
            Equivocator byz = new Equivocator(this, n);
            protocol = byz.wrap(protocol);
            network = byz::broadcast;
        }
        n.driver = new ConsensusDriver(n.chain, n.pool, n.builder, protocol, signer, n.key, network);
        int incarnation = n.incarnation;
        n.chain.addListener((removed, added, head) -> onHeadChanged(n, incarnation, removed, added));
        n.pool.addListener(tx -> {
            if (n.incarnation == incarnation) gossipTransaction(n, tx);
        });
        n.driver.start(now);
        scheduleWake(n);
    }

    private void crash(SimNode n) {
        n.alive = false;
        n.incarnation++;
    }

    private SimNode armed;
    private byte[] armedSnapshot;
    private long armedDeadline;
    private long armedRestartDelay;

    /** {@code n} will crash as soon as an event leaves its protocol state record changed (bft: it locked), or at the deadline. */
    private void armCrashOnSave(SimNode n, long restartDelay) {
        armed = n;
        armedSnapshot = n.chain.protocolState().load().orElse(null);
        armedDeadline = now + Scenario.LOCK_WAIT_MILLIS;
        armedRestartDelay = restartDelay;
    }

    private void crashIfSaved() {
        SimNode n = armed;
        if (n.alive && now < armedDeadline && java.util.Arrays.equals(n.chain.protocolState().load().orElse(null), armedSnapshot)) return;
        armed = null;
        if (!n.alive) return;
        traceLong(n.id);
        crash(n);
        at(now + armedRestartDelay, () -> boot(n));
    }

    /** After every call into a driver: make sure a tick happens at the time its protocol asked for. */
    void scheduleWake(SimNode n) {
        long wake = n.driver.nextWake();
        if (wake == Long.MAX_VALUE || wake >= n.wakeScheduled) return;
        long time = Math.max(wake, now + 1);
        n.wakeScheduled = time;
        int incarnation = n.incarnation;
        at(time, () -> {
            if (!n.alive || n.incarnation != incarnation || n.wakeScheduled != time) return;
            n.wakeScheduled = Long.MAX_VALUE;
            n.driver.tick(now);
            scheduleWake(n);
        });
    }

    private void onHeadChanged(SimNode n, int incarnation, List<Block> removed, List<Block> added) {
        try {
            headChanged(n, incarnation, removed, added);
        } catch (RuntimeException e) {
            // The chain only logs a failing listener; here it must fail the seed.
            violations.add("exception in " + n + "'s chain listener: " + e);
        }
    }

    private void headChanged(SimNode n, int incarnation, List<Block> removed, List<Block> added) {
        if (n.incarnation != incarnation) return;
        n.pool.onHeadChanged(removed, added, n.chain.headState());
        for (Block b : added) for (SimNode peer : nodes) if (peer != n) sendBlock(n, peer, b, false);
        // Told through the queue: the change may happen inside a driver call, which must not be re-entered.
        if (!n.headChangePending) {
            n.headChangePending = true;
            at(now, () -> {
                if (!n.alive || n.incarnation != incarnation) return;
                n.headChangePending = false;
                n.driver.headChanged(now);
                scheduleWake(n);
            });
        }
    }

    // ---- the network ----

    boolean reachable(SimNode a, SimNode b) {
        return !partitioned || scenario.sideA().contains(a.id) == scenario.sideA().contains(b.id);
    }

    /** Schedules a delivery from {@code from} to {@code to} after a drawn delay, unless dropped or cut off. */
    private void send(SimNode from, SimNode to, long extraDelay, Runnable deliver) {
        if (!reachable(from, to) || random.nextDouble() < scenario.dropProbability()) return;
        long delay = 1 + random.nextLong(scenario.maxDelayMillis());
        if (scenario.tailProbability() > 0 && random.nextDouble() < scenario.tailProbability()) delay += random.nextLong(scenario.tailDelayMillis());
        int incarnation = to.incarnation;
        at(now + delay + extraDelay, () -> {
            if (!to.alive || to.incarnation != incarnation || !reachable(from, to)) return;
            deliver.run();
        });
    }

    private void broadcast(SimNode from, ConsensusMessage m) {
        for (SimNode peer : nodes) if (peer != from) sendMessage(from, peer, m, false);
    }

    void sendMessage(SimNode from, SimNode to, ConsensusMessage m, boolean equivocation) {
        if (equivocation) equivocationsSent++;
        Hash id = switch (m) {
            case ConsensusMessage.VoteMessage v -> Sha256.hash(VoteCodec.encode(v.vote()));
            case ConsensusMessage.Proposal p -> p.block().hash();
        };
        send(from, to, 0, () -> {
            trace("msg", from, to, id);
            if (equivocation) equivocationsDelivered++;
            to.driver.message(m, now);
            scheduleWake(to);
        });
    }

    void sendBlock(SimNode from, SimNode to, Block b, boolean equivocation) {
        if (equivocation) equivocationsSent++;
        send(from, to, 0, () -> {
            trace("block", from, to, b.hash());
            if (equivocation) equivocationsDelivered++;
            importFrom(to, from, b);
        });
    }

    private void importFrom(SimNode n, SimNode from, Block b) {
        try {
            forwardIfSide(n, b, n.chain.importBlock(b, now));
        } catch (Rejection r) {
            if (r.code() == RejectCode.UNKNOWN_PARENT) requestBranch(n, from, b);
        }
    }

    /** See {@link SimEngine#forwardsSideBlockProposals}: the receiver's protocol learns of a block that did not become its head. */
    private void forwardIfSide(SimNode n, Block b, ImportResult result) {
        if (result != ImportResult.STORED_SIDE_BRANCH || !simEngine.forwardsSideBlockProposals()) return;
        if (!(b.header().seal() instanceof ValidatorSeal)) return;
        n.driver.message(new ConsensusMessage.VoteMessage(HeaderCodec.proposalSignature(b.header())), now);
        scheduleWake(n);
    }

    /**
     * Sync, simplified: {@code n} fetches from {@code peer} every ancestor of {@code tip} it lacks and imports them with
     * the tip after a round trip (the p2p layer's header-first sync does the same over several messages).
     */
    private void requestBranch(SimNode n, SimNode peer, Block tip) {
        if (!peer.alive) return;
        List<Block> branch = new ArrayList<>();
        Hash cursor = tip.header().parentHash();
        while (n.chain.index().header(cursor) == null) {
            Block b = peer.chain.index().block(cursor);
            if (b == null) return;
            branch.add(b);
            cursor = b.header().parentHash();
        }
        List<Block> ordered = new ArrayList<>(branch.reversed());
        ordered.add(tip);
        long rtt = 1 + random.nextLong(scenario.maxDelayMillis());
        send(peer, n, rtt, () -> {
            trace("sync", peer, n, tip.hash());
            for (Block b : ordered) {
                try {
                    forwardIfSide(n, b, n.chain.importBlock(b, now));
                } catch (Rejection r) {
                    return;
                }
            }
        });
    }

    /** Every node regularly compares heads with a random peer and fetches what it lacks (the p2p status exchange). */
    private void syncRound(SimNode n) {
        at(now + SYNC_INTERVAL / 2 + random.nextLong(SYNC_INTERVAL), () -> syncRound(n));
        if (!n.alive) return;
        SimNode peer = nodes.get(random.nextInt(nodes.size()));
        if (peer == n || !peer.alive || !reachable(n, peer)) return;
        Hash peerHead = peer.chain.head().hash();
        if (n.chain.index().header(peerHead) != null) return;
        requestBranch(n, peer, peer.chain.index().block(peerHead));
    }

    private void gossipTransaction(SimNode from, Transaction tx) {
        for (SimNode peer : nodes) {
            if (peer == from) continue;
            send(from, peer, 0, () -> {
                trace("tx", from, peer, tx.hash());
                try {
                    peer.pool.add(tx, peer.chain.headState());
                } catch (Rejection ignored) {
                    // Already pending, or stale on this node's head: the same as a real peer would.
                }
            });
        }
    }

    /** Half the load: a deploy first, then instances, calls of {@code increment}, and calls of {@code spin} (out of gas). */
    private Payload contractLoad(long nonce) {
        int r = random.nextInt(10);
        if (r < 5) return null;
        if (!deploySent || r == 5) {
            deploySent = true;
            return new DeployCode(COUNTER, 1_000_000);
        }
        if (r == 6 || instances.isEmpty()) {
            instances.add(ContractRecords.contractAddress(user.address(), nonce));
            return new Instantiate(Sha256.hash(COUNTER), new byte[0], 0, 100_000);
        }
        Address target = instances.get(random.nextInt(instances.size()));
        return r == 9 ? new CallContract(target, "spin", new byte[0], 0, 20_000) : new CallContract(target, "increment", new byte[0], 0, 100_000);
    }

    private static final byte[] COUNTER = io.maaschain.contracts.TestContracts.multi();

    /** Contract transactions on the chain of the node with the highest final block, by result status, up to that block. */
    private java.util.Map<String, Integer> contractResults() {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        SimNode best = nodes.stream().filter(n -> !n.byzantine).max(Comparator.comparingLong(n -> n.chain.finalized().height())).orElseThrow();
        for (long h = 1; h <= best.chain.finalized().height(); h++) {
            Block b = best.chain.index().block(best.chain.index().canonicalHash(h));
            for (Transaction tx : b.transactions()) {
                if (!(tx.payload() instanceof CallContract || tx.payload() instanceof Instantiate || tx.payload() instanceof DeployCode)) continue;
                byte[] result = best.chain.headState().get(ContractRecords.resultKey(tx.hash()));
                String status = result == null ? "NO_RESULT" : TxResult.decode(result).status().name();
                counts.merge(status, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** A light background load, so that blocks carry transactions and reorgs return them to the pool. */
    private void submitUserTransaction() {
        at(now + 500 + random.nextLong(2_500), this::submitUserTransaction);
        SimNode n = nodes.get(random.nextInt(nodes.size()));
        if (!n.alive) return;
        long nonce = n.pool.nextNonce(user.address(), n.chain.headState());
        long fee = 1 + random.nextLong(5); // drawn first, as before the contract load existed: old seeds replay the same runs
        Payload payload = contracts ? contractLoad(nonce) : null;
        if (payload == null) payload = new Transfer(key("payee").address(), 1 + random.nextLong(1_000));
        Transaction tx = new UnsignedTransaction(CHAIN_ID, user.publicKey(), nonce, fee, payload).sign(user);
        try {
            n.pool.add(tx, n.chain.headState());
        } catch (Rejection ignored) {
            // A nonce this node does not know is used already: the user's next attempt picks another.
        }
    }
}
