package io.maaschain.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.consensus.bft.BftState;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.block.BlockCodec;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.node.DevSetup;
import io.maaschain.testing.Fixtures;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The points docs/spec.md and docs/consensus*.md now state that an outside implementer had to guess before. */
class SpecGapsTest {
    static final List<KeyPair> VALIDATORS = List.of(Fixtures.key(11), Fixtures.key(12));

    static Genesis genesis(String kind) {
        return GenesisParser.parse(DevSetup.genesis(Fixtures.key(1), VALIDATORS, kind, 1_700_000_000_000L));
    }

    /** A block whose header field declares {@code length} bytes (all zero), then no transactions. */
    static byte[] blockWithHeaderLength(int length) {
        return new ByteWriter(length + 8).bytes(new byte[length]).u32(0).toByteArray();
    }

    @Test
    void aHeaderInsideABlockHasTheHeaderSectionsLimitOf49152Bytes() {
        assertThat(HeaderCodec.MAX_HEADER_BYTES).isEqualTo(49_152);
        // One byte over: refused for its length, before the header is decoded.
        assertThatThrownBy(() -> BlockCodec.decode(blockWithHeaderLength(49_153))).isInstanceOf(CodecException.class)
                .hasMessageContaining("header").hasMessageContaining("49152");
        // At the limit the length is accepted; these zero bytes then fail as a header, for another reason.
        assertThatThrownBy(() -> BlockCodec.decode(blockWithHeaderLength(49_152))).isInstanceOf(CodecException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("49152"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pos", "dpos", "bft"})
    void theGenesisSealOfAValidatorEngineIsAllZero(String kind) {
        ConsensusEngine engine = ConsensusFactory.create(genesis(kind));
        ValidatorSeal seal = (ValidatorSeal) engine.genesisSeal();
        assertThat(seal.slot()).isZero();
        assertThat(seal.proposerKey().toBytes()).isEqualTo(new byte[32]);
        assertThat(seal.reveal()).isEqualTo(Hash.ZERO);
        assertThat(seal.votes()).isEmpty();
        assertThat(seal.signature().toBytes()).isEqualTo(new byte[64]);
    }

    @Test
    void theBftGenesisStateHoldsOnlyTheValidatorSetAt0x30() {
        ConsensusEngine engine = ConsensusFactory.create(genesis("bft"));
        assertThat(engine.genesisState().keySet()).isEqualTo(Set.of(BftState.nextValidatorsKey()));
    }
}
