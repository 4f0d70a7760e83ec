package io.maaschain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.chain.GenesisBlock;
import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.consensus.bft.BftEngine;
import io.maaschain.consensus.bft.BftState;
import io.maaschain.consensus.bft.ValidatorSet;
import io.maaschain.consensus.light.LightChain;
import io.maaschain.consensus.light.LightRules;
import io.maaschain.consensus.light.LightVerificationException;
import io.maaschain.consensus.light.ServedHeader;
import io.maaschain.consensus.light.SetChange;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.ledger.vote.VoteCodec;
import io.maaschain.state.smt.SmtProof;
import java.util.ArrayList;
import java.util.List;

/**
 * The light client: syncs the header store of a node's chain with headers that the node serves but does not vouch
 * for; every header, commit and validator-set proof is checked with {@link LightRules} (docs/light-client.md). The trust
 * root is the genesis block (pinned per chain id on first use, or by {@code --genesis-hash}) or a pinned checkpoint.
 */
final class LightClient {
    static final int BATCH = 256;

    private final NodeClient node;
    private final LightStore store;
    private final String genesisPin;
    private final String checkpoint;

    LightClient(NodeClient node, LightStore store, String genesisPin, String checkpoint) {
        this.node = node;
        this.store = store;
        this.genesisPin = genesisPin;
        this.checkpoint = checkpoint;
    }

    /** The verified chain after a sync, with the rules that verified it. */
    record Synced(Genesis genesis, Hash genesisHash, LightRules rules, LightChain chain, long newHeaders, long nodeHead) {
        /** The verified header at {@code height} if its hash is {@code hash}; else a {@link CliException} saying why not. */
        Header require(long height, Hash hash, String what) {
            Header h = chain.at(height);
            if (h == null) {
                throw new CliException(what + " is in block " + hash + " at height " + height + ", which the light client has not verified "
                        + (height > chain.tip().height() ? "(its verified chain ends at height " + chain.tip().height() + ")" : "(it is below the checkpoint you pinned)"));
            }
            if (!h.hash().equals(hash)) {
                throw new CliException(what + " is in block " + hash + " at height " + height + ", but the verified block at that height is " + h.hash()
                        + ": the node's answer is not on the chain the light client verified");
            }
            return h;
        }
    }

    /**
     * Syncs until the verified chain reaches {@code height} or {@code timeoutMillis} pass: a bft block becomes final
     * (provably) only once the next block or the node's commit certificate for it exists, which takes a moment at the head.
     */
    Synced syncTo(long height, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        Synced s = sync();
        while (s.chain().tip().height() < height && System.nanoTime() < deadline) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted");
            }
            s = sync();
        }
        return s;
    }

    Synced sync() {
        String genesisText = node.getText("api/v1/genesis");
        Genesis genesis;
        ConsensusEngine engine;
        GenesisBlock block;
        try {
            genesis = GenesisParser.parse(genesisText);
            engine = ConsensusFactory.create(genesis);
            block = GenesisBlock.of(genesis, engine);
        } catch (CodecException | IllegalArgumentException e) {
            throw new CliException("the node at " + node.base() + " serves a genesis file that does not parse: " + e.getMessage());
        }
        Hash genesisHash = block.hash();
        boolean firstUse = checkPin(genesis.params().chainId(), genesisHash);
        LightRules rules = LightRules.of(engine).orElseThrow(() -> new CliException("the light client verifies pow and bft chains; the node at "
                + node.base() + " runs a " + engine.kind() + " chain, whose headers it cannot verify yet (docs/light-client.md)"));
        LightChain stored = store.load(genesisHash).orElse(null);
        LightChain chain = stored != null ? stored : anchor(engine, block);
        long before = chain.tip().height();
        Progress p;
        try {
            p = engine instanceof BftEngine ? syncFinal(rules, chain, genesisHash) : syncHeaviest(rules, chain, genesisHash);
        } catch (LightVerificationException e) {
            throw new CliException("the node at " + node.base() + " served a chain the light client refuses: " + e.getMessage()
                    + ". Nothing it sent was stored; try another node.");
        }
        checkCheckpoint(p.chain, genesisHash);
        if (stored == null || p.chain != stored) store.save(genesisHash, p.chain);
        // Pinned only once the chain behind it verified: a node that fails does not get its genesis trusted.
        if (firstUse) store.pin(genesis.params().chainId(), genesisHash);
        return new Synced(genesis, genesisHash, rules, p.chain, Math.max(0, p.chain.tip().height() - before), p.head);
    }

    private record Progress(LightChain chain, long head) {}

    /** bft: extend batch by batch; every header kept is final, so the store never goes back. */
    private Progress syncFinal(LightRules rules, LightChain chain, Hash genesisHash) throws LightVerificationException {
        while (true) {
            Batch b = fetch(chain.tip().height() + 1, genesisHash);
            LightChain next = rules.extend(chain, b.headers, b.headCommit, System.currentTimeMillis());
            boolean progress = next.tip().height() > chain.tip().height();
            chain = next;
            if (!progress || b.headers.isEmpty() || b.headers.getLast().header().height() >= b.head) return new Progress(chain, b.head);
        }
    }

    /** pow: fetch the node's branch from where it meets the stored one up to its head, then keep the heavier. */
    private Progress syncHeaviest(LightRules rules, LightChain chain, Hash genesisHash) throws LightVerificationException {
        long start = chain.tip().height() + 1;
        List<ServedHeader> branch = new ArrayList<>();
        long head;
        while (true) {
            Batch b = fetch(start, genesisHash);
            head = b.head;
            if (b.headers.isEmpty()) return new Progress(chain, head);
            Header first = b.headers.getFirst().header();
            Header ours = chain.at(first.height() - 1);
            if (ours != null && first.parentHash().equals(ours.hash())) {
                branch.addAll(b.headers);
                break;
            }
            if (start <= chain.anchor().height() + 1) {
                throw new LightVerificationException(first.height(), "the node's chain does not descend from the verified anchor "
                        + chain.anchor().hash() + " at height " + chain.anchor().height());
            }
            start = Math.max(chain.anchor().height() + 1, start - BATCH);
        }
        while (branch.getLast().header().height() < head) {
            Batch b = fetch(branch.getLast().header().height() + 1, genesisHash);
            head = b.head;
            if (b.headers.isEmpty()) break;
            branch.addAll(b.headers);
        }
        return new Progress(rules.extend(chain, branch, List.of(), System.currentTimeMillis()), head);
    }

    private record Batch(long head, List<ServedHeader> headers, List<Vote> headCommit) {}

    private Batch fetch(long from, Hash genesisHash) throws LightVerificationException {
        JsonNode r = node.get("api/v1/light/headers?from=" + from + "&limit=" + BATCH);
        if (!genesisHash.toHex().equals(r.path("genesisHash").asText())) {
            throw new LightVerificationException(from, "the node's header route answers for genesis " + r.path("genesisHash").asText()
                    + ", not the genesis it served (" + genesisHash + ")");
        }
        List<ServedHeader> headers = new ArrayList<>();
        long expected = from;
        try {
            for (JsonNode h : r.path("headers")) {
                Header header = HeaderCodec.decode(Hex.decode(h.path("encoded").asText()));
                if (header.height() != expected) throw new LightVerificationException(expected, "the node sent header " + header.height() + " in its place");
                expected++;
                JsonNode nv = h.path("nextValidators");
                if (nv.isObject() && nv.path("value").isTextual()) {
                    headers.add(new ServedHeader(header, Hex.decode(nv.path("value").asText()), SmtProof.decode(Hex.decode(nv.path("proof").asText()))));
                } else {
                    headers.add(ServedHeader.of(header));
                }
            }
            List<Vote> commit = new ArrayList<>();
            for (JsonNode v : r.path("headCommit").path("votes")) commit.add(VoteCodec.decode(Hex.decode(v.asText())));
            return new Batch(r.path("head").asLong(), headers, commit);
        } catch (CodecException | IllegalArgumentException e) {
            throw new LightVerificationException(expected, "the node sent a malformed header, proof or vote: " + e.getMessage());
        }
    }

    /**
     * Trust on first use per chain id, unless --genesis-hash names the genesis to trust. True if {@code served} is to be
     * pinned once the sync succeeds (first use, or chosen by --genesis-hash).
     */
    private boolean checkPin(long chainId, Hash served) {
        if (genesisPin != null) {
            Hash wanted;
            try {
                wanted = Hash.fromHex(genesisPin);
            } catch (CodecException e) {
                throw new CliException.Usage("--genesis-hash must be 64 hex digits: " + e.getMessage());
            }
            if (!wanted.equals(served)) {
                throw new CliException("the node at " + node.base() + " serves genesis " + served + ", not the " + wanted + " given by --genesis-hash");
            }
            return true;
        }
        var pinned = store.pinned(chainId);
        if (pinned.isEmpty()) return true;
        if (!pinned.get().equals(served)) {
            throw new CliException("the node at " + node.base() + " serves genesis " + served + " for chain " + chainId + ", but the light client "
                    + "pinned genesis " + pinned.get() + " for that chain id when it first saw it (" + store.root() + "); if you trust this chain, "
                    + "pass --genesis-hash " + served);
        }
        return false;
    }

    /** The chain a new store starts from: genesis, or the pinned checkpoint with the headers before it that the rules read. */
    private LightChain anchor(ConsensusEngine engine, GenesisBlock genesis) {
        List<SetChange> sets = engine instanceof BftEngine
                ? List.of(new SetChange(1, ValidatorSet.decode(genesis.state().get(BftState.nextValidatorsKey())))) : List.of();
        if (checkpoint == null) return new LightChain(List.of(genesis.block().header()), sets, List.of());
        Checkpoint c = Checkpoint.parse(checkpoint);
        long context = 11 + (engine instanceof io.maaschain.consensus.pow.PowEngine pow ? pow.params().retargetInterval() : 0);
        long first = Math.max(0, c.height - context);
        List<ServedHeader> served = new ArrayList<>();
        try {
            while (served.isEmpty() || served.getLast().header().height() < c.height) {
                Batch b = fetch(first + served.size(), genesis.hash());
                if (b.headers.isEmpty()) break;
                for (ServedHeader s : b.headers) if (s.header().height() <= c.height) served.add(s);
            }
        } catch (LightVerificationException e) {
            throw new CliException("the node at " + node.base() + " cannot serve the headers up to checkpoint " + checkpoint + ": " + e.getMessage());
        }
        if (served.isEmpty() || served.getLast().header().height() != c.height || !served.getLast().header().hash().equals(c.hash)) {
            throw new CliException("the node at " + node.base() + " does not have block " + c.hash + " at height " + c.height + " (--checkpoint)");
        }
        List<Header> headers = new ArrayList<>();
        for (ServedHeader s : served) headers.add(s.header());
        if (headers.getFirst().height() == 0 && !headers.getFirst().hash().equals(genesis.hash())) {
            throw new CliException("the node's block 0 is not the genesis block it serves");
        }
        LightChain linked;
        try {
            linked = new LightChain(headers, List.of(), List.of());
        } catch (IllegalArgumentException e) {
            throw new CliException("the headers the node serves before checkpoint " + checkpoint + " do not link to it: " + e.getMessage());
        }
        if (!(engine instanceof BftEngine)) return linked;
        ServedHeader at = served.getLast();
        if (at.nextValidators() == null || !at.nextValidatorsProof().verifyInclusion(at.header().stateRoot(),
                io.maaschain.crypto.Sha256.hash(BftState.nextValidatorsKey().unsafeArray()), io.maaschain.crypto.Sha256.hash(at.nextValidators()))) {
            throw new CliException("the node's validator set at checkpoint " + checkpoint + " does not verify against its state root");
        }
        return new LightChain(headers, List.of(new SetChange(c.height + 1, ValidatorSet.decode(at.nextValidators()))), List.of());
    }

    private void checkCheckpoint(LightChain chain, Hash genesisHash) {
        if (checkpoint == null) return;
        Checkpoint c = Checkpoint.parse(checkpoint);
        Header h = chain.at(c.height);
        if (h == null && c.height < chain.anchor().height()) {
            throw new CliException("--checkpoint " + checkpoint + " is below the start of the stored headers (height " + chain.anchor().height()
                    + "); delete " + store.file(genesisHash).getParent() + " to re-anchor");
        }
        if (h != null && !h.hash().equals(c.hash)) {
            throw new CliException("the verified chain has block " + h.hash() + " at height " + c.height + ", not the checkpoint " + c.hash);
        }
    }

    private record Checkpoint(long height, Hash hash) {
        static Checkpoint parse(String text) {
            String[] parts = text.split(":", -1);
            try {
                if (parts.length != 2) throw new IllegalArgumentException("expected HEIGHT:HASH");
                long height = Long.parseLong(parts[0]);
                if (height < 0) throw new IllegalArgumentException("negative height");
                return new Checkpoint(height, Hash.fromHex(parts[1]));
            } catch (IllegalArgumentException | CodecException e) {
                throw new CliException.Usage("--checkpoint '" + text + "' is not HEIGHT:HASH (a block height and its 64-hex hash): " + e.getMessage());
            }
        }
    }
}
