package io.maaschain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.chain.GenesisBlock;
import io.maaschain.codec.Bytes;
import io.maaschain.consensus.ConsensusFactory;
import io.maaschain.consensus.bft.BftEngine;
import io.maaschain.consensus.bft.BftState;
import io.maaschain.consensus.bft.ValidatorSet;
import io.maaschain.consensus.light.BftTestChain;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The light client against nodes that serve an honest chain, a forged one on the same genesis, or another genesis. */
class LightClientTest {
    static final List<KeyPair> VALIDATORS = BftTestChain.keys(4);
    static final List<KeyPair> FORGERS = List.of(Fixtures.key(700), Fixtures.key(701), Fixtures.key(702), Fixtures.key(703));

    @TempDir Path dir;

    static String genesisJson(long timestamp) {
        return """
                {"chainId": %d, "timestamp": %d, "minTxFee": 1, "maxBlockTransactions": 1000, "maxBlockBytes": 1048576,
                 "consensus": %s, "alloc": {"%s": "1000"}}
                """.formatted(BftTestChain.CHAIN, timestamp, BftEngine.genesisSection(VALIDATORS), VALIDATORS.getFirst().address());
    }

    /** A node serving {@code length} blocks on the genesis {@code json}: honest, or forged by keys outside the genesis set. */
    static FakeLightNode node(String json, int length, boolean forged) throws Exception {
        var genesis = GenesisParser.parse(json);
        BftEngine engine = (BftEngine) ConsensusFactory.create(genesis);
        GenesisBlock block = GenesisBlock.of(genesis, engine);
        Map<Bytes, byte[]> state = new HashMap<>(block.state());
        List<KeyPair> signers = VALIDATORS;
        if (forged) {
            // The forger's chain starts from the real genesis block but from a state of its own making, in which its keys validate.
            state.put(BftState.nextValidatorsKey(), new ValidatorSet(FORGERS.stream().map(k -> new ValidatorSet.Validator(k.publicKey(), 1)).toList()).encode());
            signers = FORGERS;
        }
        BftTestChain chain = new BftTestChain(engine, block.block().header(), state, signers, length, Map.of());
        return new FakeLightNode(json, block.hash(), chain);
    }

    LightClient client(FakeLightNode node) {
        return new LightClient(new NodeClient(node.uri()), new LightStore(dir.resolve("light")), null, null);
    }

    @Test
    void anHonestNodeIsFollowedAndLaterSyncsFetchOnlyNewHeaders() throws Exception {
        String json = genesisJson(BftTestChain.T0);
        try (FakeLightNode honest = node(json, 6, false)) {
            LightClient.Synced first = client(honest).sync();
            assertThat(first.chain().tip().height()).isEqualTo(6);
            assertThat(first.newHeaders()).isEqualTo(6);
            assertThat(Files.exists(new LightStore(dir.resolve("light")).file(first.genesisHash()))).isTrue();
        }
        try (FakeLightNode longer = node(json, 9, false)) {
            LightClient.Synced second = client(longer).sync();
            assertThat(second.chain().tip().height()).isEqualTo(9);
            assertThat(second.newHeaders()).isEqualTo(3);
        }
    }

    @Test
    void aSelfConsistentForgedChainOnTheSameGenesisIsRefusedAndNothingIsStored() throws Exception {
        String json = genesisJson(BftTestChain.T0);
        try (FakeLightNode forged = node(json, 6, true)) {
            assertThatThrownBy(() -> client(forged).sync()).isInstanceOf(CliException.class)
                    .hasMessageContaining("refuses").hasMessageContaining("height 1").hasMessageContaining("to propose");
            LightStore store = new LightStore(dir.resolve("light"));
            assertThat(Files.exists(store.file(GenesisBlock.of(GenesisParser.parse(json), ConsensusFactory.create(GenesisParser.parse(json))).hash()))).isFalse();
            assertThat(store.pinned(BftTestChain.CHAIN)).as("a failed first sync pins nothing").isEmpty();
        }
        try (FakeLightNode honest = node(json, 4, false)) {
            assertThat(client(honest).sync().chain().tip().height()).isEqualTo(4);
        }
        // Once the real block 4 is final for this client, a forged chain that goes on from another block 4 conflicts with it.
        try (FakeLightNode forged = node(json, 8, true)) {
            assertThatThrownBy(() -> client(forged).sync()).isInstanceOf(CliException.class).hasMessageContaining("conflicts with the final header");
        }
    }

    @Test
    void aDamagedStoreIsReportedWithWhatToDo() throws Exception {
        try (FakeLightNode honest = node(genesisJson(BftTestChain.T0), 3, false)) {
            LightClient.Synced synced = client(honest).sync();
            Path file = new LightStore(dir.resolve("light")).file(synced.genesisHash());
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 1;
            Files.write(file, bytes);
            assertThatThrownBy(() -> client(honest).sync()).isInstanceOf(CliException.class)
                    .hasMessageContaining("is corrupted").hasMessageContaining("checksum").hasMessageContaining("delete " + file.getParent());
        }
    }

    @Test
    void anotherGenesisForAPinnedChainIdIsRefusedUnlessChosen() throws Exception {
        try (FakeLightNode first = node(genesisJson(BftTestChain.T0), 2, false)) {
            client(first).sync();
        }
        String otherJson = genesisJson(BftTestChain.T0 + 1);
        try (FakeLightNode other = node(otherJson, 2, false)) {
            assertThatThrownBy(() -> client(other).sync()).isInstanceOf(CliException.class)
                    .hasMessageContaining("pinned genesis").hasMessageContaining("--genesis-hash");
            String chosen = GenesisBlock.of(GenesisParser.parse(otherJson), ConsensusFactory.create(GenesisParser.parse(otherJson))).hash().toHex();
            LightClient pinned = new LightClient(new NodeClient(other.uri()), new LightStore(dir.resolve("light")), chosen, null);
            assertThat(pinned.sync().chain().tip().height()).isEqualTo(2);
        }
    }

    @Test
    void aCheckpointAnchorsTheStoreWithoutTheHeadersBeforeItsContext() throws Exception {
        try (FakeLightNode honest = node(genesisJson(BftTestChain.T0), 30, false)) {
            LightClient probe = new LightClient(new NodeClient(honest.uri()), new LightStore(dir.resolve("probe")), null, null);
            var full = probe.sync().chain();
            String checkpoint = "20:" + full.at(20).hash().toHex();
            LightClient anchored = new LightClient(new NodeClient(honest.uri()), new LightStore(dir.resolve("light")), null, checkpoint);
            var chain = anchored.sync().chain();
            assertThat(chain.anchor().height()).isEqualTo(9);
            assertThat(chain.tip()).isEqualTo(full.tip());
            String wrong = "20:" + full.at(19).hash().toHex();
            LightClient mistaken = new LightClient(new NodeClient(honest.uri()), new LightStore(dir.resolve("other")), null, wrong);
            assertThatThrownBy(mistaken::sync).isInstanceOf(CliException.class).hasMessageContaining("does not have block");
        }
    }

    @Test
    void aCheckpointTheStoredChainContradictsIsRefused() throws Exception {
        try (FakeLightNode honest = node(genesisJson(BftTestChain.T0), 6, false)) {
            var chain = client(honest).sync().chain();
            String wrong = "3:" + chain.at(2).hash().toHex();
            LightClient pinned = new LightClient(new NodeClient(honest.uri()), new LightStore(dir.resolve("light")), null, wrong);
            assertThatThrownBy(pinned::sync).isInstanceOf(CliException.class).hasMessageContaining("not the checkpoint");
        }
    }

    @Test
    void statusVerifyRefusesAHeadThatContradictsAFinalBlock() throws Exception {
        try (FakeLightNode honest = node(genesisJson(BftTestChain.T0), 6, false)) {
            String light = dir.resolve("light").toString();
            CliRun.Result ok = CliRun.run("status", "--node", honest.url(), "--verify", "--light-dir", light);
            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(ok.out()).contains("verifiedHeight:").contains("final: committed in round 0 by 4 precommits with power 4 of 4");
            try (FakeLightNode other = node(genesisJson(BftTestChain.T0), 3, true)) {
                // The honest node now claims as its head a block 3 that is not the final block 3 the client verified.
                honest.claimHead(other.chainHeader(3));
                CliRun.Result lie = CliRun.run("status", "--node", honest.url(), "--verify", "--light-dir", light);
                assertThat(lie.exit()).isEqualTo(1);
                assertThat(lie.err()).contains("claims head").contains("but the light client verified the final block");
            }
        }
    }

    @Test
    void posAndDposChainsAreRefusedNotTrusted() throws Exception {
        String pos = io.maaschain.node.DevSetup.genesis(Fixtures.key(1), VALIDATORS, "pos", BftTestChain.T0);
        try (FakeLightNode node = new FakeLightNode(pos, io.maaschain.crypto.Hash.ZERO, null)) {
            assertThatThrownBy(() -> client(node).sync()).isInstanceOf(CliException.class)
                    .hasMessageContaining("verifies pow and bft chains").hasMessageContaining("runs a pos chain");
        }
    }
}
