package io.maaschain.node.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.ledger.tx.SetVisibility;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access rule for serving artifacts to peers, read from chain state. */
class ArtifactAccessTest {
    static final KeyPair OWNER = Fixtures.key(1);
    static final KeyPair COPYCAT = Fixtures.key(2);
    static final KeyPair HOST = ReplicationNode.key(0);
    static final KeyPair STRANGER = ReplicationNode.key(1);
    static final Hash SECRET = Fixtures.digest("secret weights");
    static final Hash OPEN = Fixtures.digest("open weights");

    @TempDir Path dir;
    ReplicationNode node;
    ReplicationNode.Script script;
    ArtifactAccess access;

    @BeforeEach
    void chain() throws Exception {
        Genesis genesis = TestChain.genesis(OWNER, COPYCAT, HOST, STRANGER);
        node = new ReplicationNode(9, genesis, dir);
        script = new ReplicationNode.Script(List.of(node));
        access = new ArtifactAccess(node.chain);
        script.block(
                script.tx(OWNER, register("secret", SECRET)),
                script.tx(OWNER, register("open", OPEN)),
                script.tx(OWNER, new SetVisibility("open", true)),
                script.tx(HOST, new HostModel("secret", "1", 0)));
    }

    @AfterEach
    void close() {
        node.close();
    }

    static RegisterModel register(String name, Hash digest) {
        return new RegisterModel(name, "1", digest, 100, "onnx", "mit", 1, List.of(), List.of());
    }

    boolean may(Hash digest, KeyPair peer) {
        return access.mayServe(digest, peer.address());
    }

    @Test
    void privateGoesOnlyToHostsPublicToAnyoneUnregisteredToNoOne() {
        assertThat(may(SECRET, HOST)).isTrue();
        assertThat(may(SECRET, STRANGER)).isFalse();
        assertThat(may(SECRET, OWNER)).as("the owner's account does not host it").isFalse();
        assertThat(may(OPEN, STRANGER)).isTrue();
        assertThat(may(Fixtures.digest("never registered"), HOST)).isFalse();
        assertThat(access.mayServe(SECRET, Address.wrap(new byte[20]))).isFalse();
    }

    @Test
    void followsVisibilityAndHostingAsTheChainChanges() throws Exception {
        script.block(script.tx(OWNER, new SetVisibility("secret", true)));
        assertThat(may(SECRET, STRANGER)).isTrue();
        script.block(script.tx(OWNER, new SetVisibility("secret", false)));
        assertThat(may(SECRET, STRANGER)).isFalse();
        script.block(script.tx(STRANGER, new HostModel("secret", "1", 0)));
        assertThat(may(SECRET, STRANGER)).isTrue();
    }

    @Test
    void aPublicCopyOfAPrivateDigestDoesNotMakeItPublicNorShutOutItsHosts() throws Exception {
        script.block(script.tx(COPYCAT, register("copy", SECRET)), script.tx(COPYCAT, new SetVisibility("copy", true)));
        assertThat(access.registrations(SECRET)).hasSize(2);
        assertThat(may(SECRET, STRANGER)).isFalse();
        assertThat(may(SECRET, HOST)).isTrue();
        // A private copy hosted by another node lets that node in, as hosting the original would (HostModel is open to all).
        script.block(script.tx(COPYCAT, new SetVisibility("copy", false)), script.tx(STRANGER, new HostModel("copy", "1", 0)));
        assertThat(may(SECRET, STRANGER)).isTrue();
        assertThat(may(SECRET, HOST)).isTrue();
        assertThat(may(SECRET, COPYCAT)).isFalse();
    }
}
