package io.maaschain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.consensus.protocol.GuardedSigner;
import io.maaschain.consensus.protocol.SigningHistory;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.storage.StorageException;
import io.maaschain.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningHistoryFileTest {
    @TempDir Path dir;
    final KeyPair key = Fixtures.key(7);

    RoundVote precommit(long height, int round, Hash block) {
        return new RoundVote(RoundVote.Step.PRECOMMIT, height, round, block, key.publicKey(), ValidatorSeal.UNSIGNED);
    }

    @Test
    void aValidatorThatNeverSignedStartsEmpty() {
        assertThat(SigningHistoryFile.in(dir).load()).isEqualTo(SigningHistory.EMPTY);
    }

    @Test
    void whatWasSignedSurvivesARestartAndConflictingStatementsAreRefused() throws Exception {
        Hash a = io.maaschain.crypto.Sha256.hash(new byte[] {1});
        Hash b = io.maaschain.crypto.Sha256.hash(new byte[] {2});
        GuardedSigner first = new GuardedSigner(key, Fixtures.CHAIN_ID, SigningHistoryFile.in(dir));
        assertThat(first.signVote(precommit(5, 0, a))).isPresent();
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly(SigningHistoryFile.FILE);

        GuardedSigner restarted = new GuardedSigner(key, Fixtures.CHAIN_ID, SigningHistoryFile.in(dir));
        assertThat(restarted.signVote(precommit(5, 0, b))).as("double vote after restart").isEmpty();
        assertThat(restarted.signVote(precommit(5, 0, a))).as("the same vote again").isPresent();
        assertThat(restarted.signVote(precommit(5, 1, b))).as("a later round").isPresent();
        assertThat(SigningHistoryFile.in(dir).load().roundRound()).isEqualTo(1);
    }

    @Test
    void checkpointWatermarksRoundTrip() {
        SigningHistoryFile file = SigningHistoryFile.in(dir);
        CheckpointVote v = new CheckpointVote(2, io.maaschain.crypto.Sha256.hash(new byte[] {3}), 3, io.maaschain.crypto.Sha256.hash(new byte[] {4}),
                key.publicKey(), ValidatorSeal.UNSIGNED);
        SigningHistory h = SigningHistory.EMPTY.admit(v).orElseThrow();
        file.save(h);
        assertThat(SigningHistoryFile.in(dir).load()).isEqualTo(h);
    }

    @Test
    void aDamagedFileStopsTheValidatorWithAClearError() throws Exception {
        SigningHistoryFile file = SigningHistoryFile.in(dir);
        file.save(SigningHistory.EMPTY.admit(precommit(9, 0, Hash.ZERO)).orElseThrow());
        byte[] good = Files.readAllBytes(file.path());
        for (int i = 0; i < good.length; i += 7) {
            byte[] flipped = good.clone();
            flipped[i] ^= 0x10;
            Files.write(file.path(), flipped);
            assertThatThrownBy(file::load).isInstanceOf(StorageException.class).hasMessageContaining("corrupted").hasMessageContaining(file.path().toString());
        }
        Files.write(file.path(), Arrays.copyOf(good, good.length - 1));
        assertThatThrownBy(() -> new GuardedSigner(key, Fixtures.CHAIN_ID, file)).isInstanceOf(StorageException.class);
        Files.write(file.path(), new byte[0]);
        assertThatThrownBy(file::load).isInstanceOf(StorageException.class);
    }
}
