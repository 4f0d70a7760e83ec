package io.maaschain.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Holds the layers of DESIGN.md: each layer may use only the layers below it, and the core does no I/O. */
class LayeringTest {
    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.maaschain");
    }

    @Test
    void layersOnlyUseLayersBelowThem() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("codec").definedBy("io.maaschain.codec..")
                .layer("crypto").definedBy("io.maaschain.crypto..")
                .layer("ledger").definedBy("io.maaschain.ledger..")
                .layer("contracts").definedBy("io.maaschain.contracts..")
                .layer("state").definedBy("io.maaschain.state..")
                .layer("consensus").definedBy("io.maaschain.consensus..")
                .layer("storage").definedBy("io.maaschain.storage..")
                .layer("chain").definedBy("io.maaschain.chain..", "io.maaschain.txpool..")
                .layer("p2p").definedBy("io.maaschain.p2p..")
                .layer("maas").definedBy("io.maaschain.maas..")
                .layer("api").definedBy("io.maaschain.api..")
                .layer("node").definedBy("io.maaschain.node..")
                .layer("cli").definedBy("io.maaschain.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("node").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("api").mayOnlyBeAccessedByLayers("node", "cli")
                .whereLayer("maas").mayOnlyBeAccessedByLayers("api", "node", "cli")
                .whereLayer("p2p").mayOnlyBeAccessedByLayers("node", "cli")
                // maas (receipts, metering) reads the chain, the pool and its own columns, and settles through ledger transactions.
                .whereLayer("chain").mayOnlyBeAccessedByLayers("p2p", "maas", "api", "node", "cli")
                .whereLayer("storage").mayOnlyBeAccessedByLayers("chain", "p2p", "maas", "api", "node", "cli")
                .whereLayer("consensus").mayOnlyBeAccessedByLayers("chain", "p2p", "api", "node", "cli")
                // The wasm runtime sits below the state: the state transition runs it through the ContractHost it implements.
                .whereLayer("contracts").mayOnlyBeAccessedByLayers("state", "consensus", "chain", "p2p", "maas", "api", "node", "cli")
                .whereLayer("state").mayOnlyBeAccessedByLayers("consensus", "chain", "p2p", "maas", "api", "node", "cli")
                .whereLayer("ledger").mayOnlyBeAccessedByLayers("contracts", "state", "consensus", "chain", "p2p", "maas", "api", "node", "cli")
                .whereLayer("crypto").mayOnlyBeAccessedByLayers("ledger", "contracts", "state", "consensus", "storage", "chain", "p2p", "maas", "api", "node", "cli")
                .check(classes);
    }

    @Test
    void deterministicCoreDoesNoIoReadsNoClockAndDrawsNoRandomness() {
        noClasses().that().resideInAnyPackage("io.maaschain.codec..", "io.maaschain.crypto..", "io.maaschain.ledger..",
                        "io.maaschain.contracts..", "io.maaschain.state..", "io.maaschain.consensus..")
                .should().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.nio.channels..", "java.net..", "org.rocksdb..", "io.javalin..", "io.grpc..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileInputStream")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileOutputStream")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.RandomAccessFile")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Instant")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .orShould().callConstructor(java.security.SecureRandom.class)
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
                .because("the core must replay identically in a seeded simulation")
                .check(classes);
    }
}
