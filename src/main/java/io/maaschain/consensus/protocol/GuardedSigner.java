package io.maaschain.consensus.protocol;

import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.ProposalSignature;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.ledger.vote.VoteCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A {@link ValidatorSigner} that saves its {@link SigningHistory} through {@code store} before every signature. */
public final class GuardedSigner implements ValidatorSigner {
    /** Where the history lives; {@link #save} must be durable (fsync) when it returns. */
    public interface HistoryStore {
        SigningHistory load();

        void save(SigningHistory history);
    }

    /** Keeps the history in memory: for the simulation, where a simulated crash keeps the store. */
    public static final class InMemory implements HistoryStore {
        private SigningHistory history = SigningHistory.EMPTY;

        @Override
        public synchronized SigningHistory load() {
            return history;
        }

        @Override
        public synchronized void save(SigningHistory h) {
            history = h;
        }
    }

    private final KeyPair key;
    private final long chainId;
    private final HistoryStore store;
    private SigningHistory history;

    public GuardedSigner(KeyPair key, long chainId, HistoryStore store) {
        this.key = key;
        this.chainId = chainId;
        this.store = store;
        this.history = store.load();
    }

    @Override
    public PublicKey key() {
        return key.publicKey();
    }

    @Override
    public synchronized Optional<Vote> signVote(Vote unsigned) {
        if (!unsigned.validator().equals(key.publicKey())) throw new IllegalArgumentException("vote is for another validator");
        Optional<SigningHistory> next = history.admit(unsigned);
        if (next.isEmpty()) return Optional.empty();
        store.save(next.get());
        history = next.get();
        return Optional.of(unsigned.withSignature(key.sign(VoteCodec.signingMessage(unsigned, chainId))));
    }

    @Override
    public synchronized List<RoundVote> lastRoundVotes(long height) {
        List<RoundVote> out = new ArrayList<>();
        for (RoundVote v : history.lastRoundVotesAt(height, key.publicKey())) signVote(v).ifPresent(s -> out.add((RoundVote) s));
        return out;
    }

    @Override
    public synchronized long lastProposalSlot(long height) {
        return history.lastProposalSlotAt(height);
    }

    @Override
    public synchronized Optional<Header> signHeader(Header unsigned) {
        if (!(unsigned.seal() instanceof ValidatorSeal seal) || !seal.proposerKey().equals(key.publicKey())) {
            throw new IllegalArgumentException("header does not carry this validator's seal");
        }
        ProposalSignature statement = new ProposalSignature(unsigned.height(), seal.slot(), HeaderCodec.unsignedDigest(unsigned),
                key.publicKey(), ValidatorSeal.UNSIGNED);
        return signVote(statement).map(signed -> unsigned.withSeal(seal.withSignature(signed.signature())));
    }
}
