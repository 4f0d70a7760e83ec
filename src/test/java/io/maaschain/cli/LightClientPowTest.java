package io.maaschain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.api.ApiServer;
import io.maaschain.chain.Blockchain;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import io.maaschain.txpool.TxPool;
import io.maaschain.txpool.VerifiedSignatures;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The light client against real in-process pow nodes: it syncs, resumes, and moves to a heavier branch another node serves. */
class LightClientPowTest {
    static final Genesis GENESIS = TestChain.genesis(Fixtures.key(1));

    @TempDir Path dir;

    static void grow(Blockchain chain, int blocks, int miner) throws Rejection {
        for (int i = 0; i < blocks; i++) chain.importBlock(TestChain.next(chain, List.of(), Fixtures.key(miner).address()), Long.MAX_VALUE / 2);
    }

    static ApiServer serve(Blockchain chain) {
        return new ApiServer(chain, new TxPool(chain.transition(), new VerifiedSignatures(100), new TxPool.Limits(100, 10, 5))).start("127.0.0.1", 0);
    }

    LightClient client(ApiServer server) {
        return new LightClient(new NodeClient(URI.create("http://127.0.0.1:" + server.port() + "/")), new LightStore(dir), null, null);
    }

    @Test
    void followsTheNodeResumesAndTakesAHeavierBranch() throws Exception {
        Blockchain a = TestChain.open(new InMemoryStore(), GENESIS);
        grow(a, 300, 10);
        try (ApiServer server = serve(a)) {
            LightClient.Synced first = client(server).sync();
            assertThat(first.chain().tip().hash()).isEqualTo(a.head().hash());
            assertThat(first.newHeaders()).isEqualTo(300);
            assertThat(first.rules().finality(first.chain(), 299)).contains("not final").contains("2 confirmations");
            grow(a, 3, 10);
            LightClient.Synced second = client(server).sync();
            assertThat(second.newHeaders()).isEqualTo(3);
            assertThat(second.chain().tip().hash()).isEqualTo(a.head().hash());
        }
        // Another node forked at height 10 and has mined more since: its branch has more work, and replaces 11..303.
        Blockchain b = TestChain.open(new InMemoryStore(), GENESIS);
        for (long h = 1; h <= 10; h++) b.importBlock(a.index().canonicalBlock(h), Long.MAX_VALUE / 2);
        grow(b, 300, 11);
        try (ApiServer server = serve(b)) {
            LightClient.Synced switched = client(server).sync();
            assertThat(switched.chain().tip().hash()).isEqualTo(b.head().hash());
            assertThat(switched.chain().at(11).hash()).isEqualTo(b.index().canonicalBlock(11).hash());
        }
        // The first node, now the lighter branch, cannot take the client back.
        try (ApiServer server = serve(a)) {
            LightClient.Synced kept = client(server).sync();
            assertThat(kept.chain().tip().hash()).isEqualTo(b.head().hash());
        }
    }
}
