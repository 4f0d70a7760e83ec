package io.maaschain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.api.Json;
import io.maaschain.chain.Blockchain;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.txpool.VerifiedSignatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dev and testnet genesis files: the node keys are the validators of each engine in the build, and they are funded. */
class TestnetGenesisTest {
    @TempDir Path dir;

    @Test
    void everyEngineInTheBuildGetsTheNodeKeysAsFundedValidators() throws Exception {
        for (String kind : ConsensusKinds.AVAILABLE) {
            if (kind.equals("pow")) continue;
            TestnetLayout layout = new TestnetLayout(dir.resolve(kind), 20_000);
            layout.writeGenesis(kind, 4, 1_700_000_000_000L);
            Genesis genesis = GenesisParser.parse(Files.readString(layout.genesisFile()));
            assertThat(genesis.consensusKind()).isEqualTo(kind);
            ConsensusEngine engine = ConsensusFactory.create(genesis);
            try (Blockchain chain = Blockchain.open(new InMemoryStore(), genesis, engine, new VerifiedSignatures(10))) {
                String described = Json.MAPPER.writeValueAsString(engine.describe(chain.headState()));
                for (int i = 0; i < 4; i++) {
                    KeyPair key = layout.nodeKey(i);
                    assertThat(genesis.alloc()).containsEntry(key.address(), DevSetup.VALIDATOR_BALANCE);
                    assertThat(described.contains(key.publicKey().toHex()) || described.contains(key.address().toString()))
                            .as("%s describes validator %d: %s", kind, i, described).isTrue();
                }
                assertThat(genesis.alloc()).containsEntry(layout.faucet().address(), DevSetup.DEV_BALANCE);
            }
        }
    }

    @Test
    void aDevnetOfAVoteBasedEngineHasTheDevKeyAsItsValidator() {
        KeyPair dev = Fixtures.key(9);
        for (String kind : ConsensusKinds.AVAILABLE) {
            Genesis genesis = GenesisParser.parse(DevSetup.devGenesis(dev, kind, 1_700_000_000_000L));
            assertThat(genesis.alloc().get(dev.address())).isGreaterThanOrEqualTo(DevSetup.DEV_BALANCE);
            if (!kind.equals("pow")) {
                assertThat(ConsensusKinds.genesisSection(kind, List.of(dev))).contains(dev.publicKey().toHex());
            }
        }
    }

    @Test
    void aPowTestnetHasNoValidators() {
        assertThatThrownBy(() -> ConsensusKinds.genesisSection("pow", List.of(Fixtures.key(1)))).isInstanceOf(IllegalArgumentException.class);
    }
}
