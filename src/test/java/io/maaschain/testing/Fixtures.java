package io.maaschain.testing;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.tx.UnsignedTransaction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Deterministic keys and transactions for tests. */
public final class Fixtures {
    public static final long CHAIN_ID = 1337;

    private Fixtures() {}

    public static KeyPair key(int n) {
        return KeyPair.fromSeed(Sha256.hash(("test key " + n).getBytes(StandardCharsets.UTF_8)).toBytes());
    }

    public static Transaction transfer(KeyPair from, Address to, long amount, long nonce, long fee) {
        return new UnsignedTransaction(CHAIN_ID, from.publicKey(), nonce, fee, new Transfer(to, amount)).sign(from);
    }

    public static RegisterModel model(String name, String version, String artifact) {
        return new RegisterModel(name, version, Sha256.hash(artifact.getBytes(StandardCharsets.UTF_8)), artifact.length(),
                "onnx", "apache-2.0", 5, List.of(), List.of());
    }

    public static Transaction register(KeyPair from, RegisterModel m, long nonce) {
        return new UnsignedTransaction(CHAIN_ID, from.publicKey(), nonce, 1, m).sign(from);
    }

    public static Hash digest(String s) {
        return Sha256.hash(s.getBytes(StandardCharsets.UTF_8));
    }
}
