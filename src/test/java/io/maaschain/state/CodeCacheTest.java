package io.maaschain.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.contracts.PreparedCode;
import io.maaschain.contracts.WasmBuilder;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** A contract's code is read from the state and prepared once per code hash, not on every call. */
class CodeCacheTest {
    @Test
    void codeIsReadAndPreparedOnlyOnTheFirstCallOfItsHash() {
        WasmBuilder b = new WasmBuilder();
        b.export("f", b.function(b.type(new int[] {}, new int[] {}), new int[] {}, new byte[0]));
        // A data segment no other test uses, so that no other test has cached this hash.
        byte[] code = b.memory(1).data(0, "CodeCacheTest: a module of its own".getBytes(StandardCharsets.US_ASCII)).build();
        Hash hash = Sha256.hash(code);
        AtomicInteger reads = new AtomicInteger();
        Supplier<byte[]> read = () -> {
            reads.incrementAndGet();
            return code;
        };

        PreparedCode first = CodeCache.get(hash, read);
        PreparedCode second = CodeCache.get(hash, read);

        assertThat(reads).hasValue(1);
        assertThat(second).isSameAs(first);
        assertThat(first.instrumentedSize()).isEqualTo(PreparedCode.of(code).instrumentedSize());
    }
}
