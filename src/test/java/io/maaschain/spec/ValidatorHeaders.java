package io.maaschain.spec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Signature;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.ledger.vote.VoteCodec;
import io.maaschain.testing.Fixtures;
import java.util.List;

/** Headers with validator seals for the independent verifier: one valid, and one broken in each way a seal can be. */
final class ValidatorHeaders {
    private ValidatorHeaders() {}

    record Case(String note, Header header, boolean valid) {}

    static List<Case> cases(long chainId) {
        KeyPair proposer = Fixtures.key(40);
        KeyPair voterA = Fixtures.key(41);
        KeyPair voterB = Fixtures.key(42);
        Hash parent = hash(1);
        Vote checkpoint = sign(new CheckpointVote(0, hash(2), 1, parent, voterA.publicKey(), ValidatorSeal.UNSIGNED), voterA, chainId);
        Vote precommit = sign(new RoundVote(RoundVote.Step.PRECOMMIT, 6, 0, parent, voterB.publicKey(), ValidatorSeal.UNSIGNED), voterB, chainId);
        Header unsigned = new Header(7, parent, 1_700_000_000_000L, hash(3), hash(4), proposer.address(), 0,
                new ValidatorSeal(12, proposer.publicKey(), hash(5), List.of(checkpoint, precommit), ValidatorSeal.UNSIGNED));
        Header valid = signHeader(unsigned, proposer, chainId);
        Header moved = new Header(7, parent, 1_700_000_000_001L, hash(3), hash(4), proposer.address(), 0, valid.seal());
        Vote forged = precommit.withSignature(checkpoint.signature());
        Header forgedVote = signHeader(unsigned.withSeal(new ValidatorSeal(12, proposer.publicKey(), hash(5), List.of(checkpoint, forged),
                ValidatorSeal.UNSIGNED)), proposer, chainId);
        Header otherProposer = signHeader(new Header(7, parent, 1_700_000_000_000L, hash(3), hash(4), voterA.address(), 0, unsigned.seal()),
                proposer, chainId);
        Header otherChain = signHeader(unsigned, proposer, chainId + 1);
        return List.of(new Case("signed by its proposer, carrying a checkpoint vote and a precommit", valid, true),
                new Case("timestamp changed after signing", moved, false),
                new Case("a carried vote's signature belongs to another vote", forgedVote, false),
                new Case("the proposer address is not the seal key's", otherProposer, false),
                new Case("signed for another chain id", otherChain, false));
    }

    static void addTo(ArrayNode out, long chainId) {
        for (Case c : cases(chainId)) {
            out.addObject().put("note", c.note()).put("chainId", chainId).put("header", Hex.encode(HeaderCodec.encode(c.header())))
                    .put("hash", c.header().hash().toHex()).put("valid", c.valid());
        }
    }

    private static Header signHeader(Header unsigned, KeyPair key, long chainId) {
        ValidatorSeal seal = (ValidatorSeal) unsigned.seal();
        Header blank = unsigned.withSeal(seal.withSignature(ValidatorSeal.UNSIGNED));
        Signature s = sign(HeaderCodec.proposalSignature(blank), key, chainId).signature();
        return unsigned.withSeal(seal.withSignature(s));
    }

    private static Vote sign(Vote v, KeyPair key, long chainId) {
        return v.withSignature(key.sign(VoteCodec.signingMessage(v, chainId)));
    }

    private static Hash hash(int i) {
        byte[] b = new byte[Hash.LENGTH];
        java.util.Arrays.fill(b, (byte) (0x10 * i));
        return Hash.wrap(b);
    }
}
