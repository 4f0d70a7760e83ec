package io.maaschain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.KeyPem;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.tx.GrantAccess;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.maas.devmodel.DevModel;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two whole nodes as Node.start wires them: the one that hosts a model fetches its artifact from the other and serves it. */
class NodeArtifactReplicationTest {
    static final KeyPair OWNER = Fixtures.key(1);
    static final KeyPair KEY_A = Fixtures.key(1100);
    static final KeyPair KEY_B = Fixtures.key(1101);

    @TempDir Path dir;

    NodeConfig config(String name, KeyPair key, Path genesis, List<String> bootnodes) throws Exception {
        Path data = dir.resolve(name);
        Files.createDirectories(data);
        Path keyFile = data.resolve("node.key");
        Files.writeString(keyFile, KeyPem.privateKeyToPem(key));
        return new NodeConfig(data, genesis, keyFile, "127.0.0.1", 0,
                Optional.of(new NodeConfig.Network("127.0.0.1", 0, bootnodes, 25, 10, false)),
                new NodeConfig.Mining(false, Optional.empty(), 1, 1000), NodeConfig.Serving.DEFAULT);
    }

    static Transaction tx(KeyPair from, long nonce, Payload p) {
        return new UnsignedTransaction(Fixtures.CHAIN_ID, from.publicKey(), nonce, 1, p).sign(from);
    }

    @Test
    void theHostingNodeFetchesTheArtifactFromItsPeerAndServesTheModel() throws Exception {
        Path genesis = dir.resolve("genesis.json");
        Files.writeString(genesis, TestChain.genesisJson(OWNER, KEY_A, KEY_B));
        try (Node a = Node.start(config("a", KEY_A, genesis, List.of()))) {
            int portA = a.p2p().orElseThrow().port();
            try (Node b = Node.start(config("b", KEY_B, genesis, List.of("127.0.0.1:" + portA)))) {
                byte[] model = DevModel.onnxBytes();
                Hash digest = Sha256.hash(model);
                a.artifacts().put(digest, new ByteArrayInputStream(model));
                Block block = TestChain.next(a.chain(), List.of(
                        tx(OWNER, 0, new RegisterModel(DevModel.NAME, DevModel.VERSION, digest, model.length, DevModel.FORMAT, DevModel.LICENSE, 1,
                                List.of(), List.of())),
                        tx(OWNER, 1, new GrantAccess(DevModel.NAME, KEY_B.address(), 1, 1_000_000)),
                        tx(KEY_B, 0, new HostModel(DevModel.NAME, DevModel.VERSION, 0))), Fixtures.key(77).address());
                a.chain().importBlock(block, System.currentTimeMillis());
                b.chain().importBlock(block, System.currentTimeMillis());

                await().atMost(Duration.ofSeconds(30)).until(() -> b.models().find(DevModel.NAME, DevModel.VERSION).isPresent());
                assertThat(b.artifacts().verify(digest).ok()).isTrue();
                assertThat(a.models().find(DevModel.NAME, DevModel.VERSION)).as("A does not host it").isEmpty();
            }
        }
    }
}
