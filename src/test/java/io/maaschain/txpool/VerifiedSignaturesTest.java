package io.maaschain.txpool;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.TransactionCodec;
import io.maaschain.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Checking ahead in batches gives every transaction the verdict of its own signature check, and remembers it. */
class VerifiedSignaturesTest {

    @Property(tries = 25)
    void batchVerdictsAreTheSingleVerdicts(@ForAll @IntRange(min = 1, max = 300) int count,
                                           @ForAll @IntRange(min = 0, max = 5) int bad, @ForAll long seed) {
        Random random = new Random(seed);
        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            KeyPair from = Fixtures.key(random.nextInt(50));
            txs.add(Fixtures.transfer(from, Fixtures.key(1000 + i).address(), 1 + random.nextInt(100), random.nextInt(5), 1));
        }
        for (int i = 0; i < bad; i++) {
            int at = random.nextInt(count);
            byte[] bytes = txs.get(at).encoded();
            bytes[bytes.length - 1 - random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
            txs.set(at, TransactionCodec.decode(bytes));
        }
        VerifiedSignatures check = new VerifiedSignatures(10_000);
        check.checkAhead(txs);
        for (Transaction tx : txs) assertThat(check.isValid(tx)).as("tx %s", tx.hash()).isEqualTo(tx.hasValidSignature());
        check.checkAhead(txs);
        for (Transaction tx : txs) assertThat(check.isValid(tx)).isEqualTo(tx.hasValidSignature());
    }

    @Property(tries = 5)
    void aSmallCacheForgetsButNeverChangesAVerdict(@ForAll long seed) {
        Random random = new Random(seed);
        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < 200; i++) txs.add(Fixtures.transfer(Fixtures.key(i % 7), Fixtures.key(500).address(), 1, i, 1));
        byte[] bytes = txs.get(random.nextInt(200)).encoded();
        bytes[bytes.length - 1] ^= 1;
        txs.add(random.nextInt(200), TransactionCodec.decode(bytes));
        VerifiedSignatures check = new VerifiedSignatures(16);
        check.checkAhead(txs);
        for (Transaction tx : txs) assertThat(check.isValid(tx)).isEqualTo(tx.hasValidSignature());
    }
}
