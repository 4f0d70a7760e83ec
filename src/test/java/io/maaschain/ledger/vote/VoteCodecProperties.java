package io.maaschain.ledger.vote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.ValidatorSeal;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class VoteCodecProperties {
    static final long CHAIN = 7;

    static Arbitrary<KeyPair> keys() {
        return Arbitraries.integers().between(1, 5).map(i -> KeyPair.fromSeed(seed(i)));
    }

    static byte[] seed(int i) {
        byte[] s = new byte[32];
        s[0] = (byte) i;
        return s;
    }

    static Arbitrary<Hash> hashes() {
        return Arbitraries.integers().between(0, 3).map(i -> {
            byte[] b = new byte[32];
            b[31] = i.byteValue();
            return Hash.wrap(b);
        });
    }

    static Vote sign(Vote unsigned, KeyPair key) {
        return unsigned.withSignature(key.sign(VoteCodec.signingMessage(unsigned, CHAIN)));
    }

    @Provide
    Arbitrary<Vote> votes() {
        Arbitrary<Vote> checkpoint = Combinators.combine(Arbitraries.longs().between(0, 6), hashes(), Arbitraries.longs().between(1, 6), hashes(), keys())
                .as((s, sh, d, th, k) -> sign(new CheckpointVote(s, sh, s + d, th, k.publicKey(), ValidatorSeal.UNSIGNED), k));
        Arbitrary<Vote> round = Combinators.combine(Arbitraries.of(RoundVote.Step.values()), Arbitraries.longs().between(1, 4),
                        Arbitraries.integers().between(0, 3), hashes(), keys())
                .as((st, h, r, bh, k) -> sign(new RoundVote(st, h, r, bh, k.publicKey(), ValidatorSeal.UNSIGNED), k));
        Arbitrary<Vote> proposal = Combinators.combine(Arbitraries.longs().between(1, 4), Arbitraries.longs().between(0, 4), hashes(), keys())
                .as((h, sl, d, k) -> sign(new ProposalSignature(h, sl, d, k.publicKey(), ValidatorSeal.UNSIGNED), k));
        return Arbitraries.oneOf(checkpoint, round, proposal);
    }

    @Property(tries = 300)
    void decodeOfEncodeIsIdentityAndSignaturesVerify(@ForAll("votes") Vote v) {
        byte[] bytes = VoteCodec.encode(v);
        assertThat(VoteCodec.decode(bytes)).isEqualTo(v);
        assertThat(v.verify(CHAIN)).isTrue();
        assertThat(v.verify(CHAIN + 1)).as("a vote is bound to its chain").isFalse();
    }

    @Property(tries = 300)
    void anyFlippedByteBreaksTheVoteOrItsSignature(@ForAll("votes") Vote v, @ForAll @IntRange(min = 0, max = 10_000) int at, @ForAll @IntRange(min = 1, max = 255) int mask) {
        byte[] bytes = VoteCodec.encode(v);
        bytes[at % bytes.length] ^= (byte) mask;
        try {
            Vote decoded = VoteCodec.decode(bytes);
            assertThat(decoded.verify(CHAIN)).isFalse();
        } catch (CodecException | IllegalArgumentException expected) {
            // malformed is fine: it is refused either way
        }
    }

    @Property(tries = 300)
    void conflictIsSymmetricAndNeverBetweenAVoteAndItself(@ForAll("votes") Vote a, @ForAll("votes") Vote b) {
        assertThat(a.conflictsWith(b)).isEqualTo(b.conflictsWith(a));
        assertThat(a.conflictsWith(a)).isFalse();
        if (!a.validator().equals(b.validator())) assertThat(a.conflictsWith(b)).isFalse();
    }

    @Property(tries = 100)
    void truncatedOrExtendedEncodingsAreRejected(@ForAll("votes") Vote v, @ForAll @IntRange(min = 1, max = 20) int cut) {
        byte[] bytes = VoteCodec.encode(v);
        assertThatThrownBy(() -> VoteCodec.decode(Arrays.copyOf(bytes, Math.max(0, bytes.length - cut)))).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> VoteCodec.decode(Arrays.copyOf(bytes, bytes.length + cut))).isInstanceOf(CodecException.class);
    }

    @Property(tries = 100)
    void validatorSealsRoundTripAndTheirSignatureCoversTheHeader(@ForAll("votes") Vote v, @ForAll @IntRange(min = 0, max = 3) int copies) {
        KeyPair proposer = KeyPair.fromSeed(seed(9));
        Header unsigned = new Header(5, hash(1), 1000, hash(2), hash(3), proposer.address(), 0,
                new ValidatorSeal(11, proposer.publicKey(), hash(4), java.util.Collections.nCopies(copies, v), ValidatorSeal.UNSIGNED));
        ProposalSignature statement = HeaderCodec.proposalSignature(unsigned);
        Header signed = unsigned.withSeal(((ValidatorSeal) unsigned.seal()).withSignature(sign(statement, proposer).signature()));
        assertThat(HeaderCodec.decode(HeaderCodec.encode(signed))).isEqualTo(signed);
        assertThat(HeaderCodec.proposalSignature(signed).verify(CHAIN)).isTrue();
        Header moved = new Header(5, hash(1), 1001, hash(2), hash(3), proposer.address(), 0, signed.seal());
        assertThat(HeaderCodec.proposalSignature(moved).verify(CHAIN)).as("the signature covers the timestamp").isFalse();
        ConsensusMessage m = new ConsensusMessage.Proposal(new Block(signed, List.of()), copies - 1);
        assertThat(ConsensusMessageCodec.decode(ConsensusMessageCodec.encode(m), 1 << 20)).isEqualTo(m);
        ConsensusMessage vm = new ConsensusMessage.VoteMessage(v);
        assertThat(ConsensusMessageCodec.decode(ConsensusMessageCodec.encode(vm), 1 << 20)).isEqualTo(vm);
        assertThatThrownBy(() -> ConsensusMessageCodec.decode(ConsensusMessageCodec.encode(m), 100)).isInstanceOf(CodecException.class);
    }

    @Property(tries = 50)
    void unknownTagsAndTypesAreRejected(@ForAll @IntRange(min = 5, max = 255) int type) {
        byte[] bytes = new byte[VoteCodec.CHECKPOINT_LENGTH];
        bytes[0] = (byte) type;
        assertThatThrownBy(() -> VoteCodec.decode(bytes)).isInstanceOf(CodecException.class);
        byte[] msg = new byte[10];
        msg[0] = (byte) (type < 3 ? 3 : type);
        assertThatThrownBy(() -> ConsensusMessageCodec.decode(msg, 1 << 20)).isInstanceOf(CodecException.class);
    }

    static Hash hash(int i) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) i);
        return Hash.wrap(b);
    }

    @Property(tries = 20)
    void addressOfTheProposerKeyIsItsAddress(@ForAll("votes") Vote v) {
        assertThat(v.validator().address()).isEqualTo(Address.wrap(v.validator().address().toBytes()));
    }
}
