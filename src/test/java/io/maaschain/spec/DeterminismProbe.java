package io.maaschain.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.maaschain.chain.Blockchain;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.genesis.GenesisParser;
import io.maaschain.maas.devmodel.DevModel;
import io.maaschain.node.DevSetup;
import io.maaschain.storage.InMemoryStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import java.util.List;

/**
 * Prints one line per determinism-sensitive result ({@code name sha256}) for {@link CrossJvmDeterminismTest}, which
 * runs it on every installed JDK 21+ as a separate process and compares the lines with each other and with
 * src/test/resources/io/maaschain/spec/determinism-digests.txt. Everything here is computed from fixed inputs
 * (fixed keys, fixed times), so a difference can only come from the JVM or the CPU.
 */
public final class DeterminismProbe {
    private DeterminismProbe() {}

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        // The dev model: trained with floating point at every start of a dev node; its digest is registered on chain.
        System.out.println("dev-model " + Sha256.hash(DevModel.onnxBytes()).toHex());
        // Dev chain genesis of each consensus engine: genesis hash (header with the state root) of the same template.
        for (String consensus : List.of("pow", "pos", "dpos", "bft")) {
            Genesis g = GenesisParser.parse(DevSetup.devGenesis(Fixtures.key(7), consensus, TestChain.GENESIS_TIME));
            Blockchain chain = TestChain.open(new InMemoryStore(), g);
            System.out.println("dev-genesis-" + consensus + " " + chain.genesisHash().toHex()
                    + " state " + chain.head().header().stateRoot().toHex());
        }
        // Blocks of transactions of every kind the spec chains use, their state roots, proofs and complete states.
        SpecConformanceTest.buildChains();
        System.out.println("spec-chains " + Sha256.hash(json.writeValueAsBytes(SpecConformanceTest.fixture())).toHex());
        System.out.println("spec-head-state " + SpecConformanceTest.chain.steps().getLast().header().stateRoot().toHex());
        // Signed receipts, their ids, the receipt batch and its settlement proofs.
        System.out.println("receipts " + Sha256.hash(json.writeValueAsBytes(ReceiptSpecConformanceTest.fixture())).toHex());
    }
}
