package io.maaschain.chain;

import static io.maaschain.testing.FuzzInvariant.decodeOrReject;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.maaschain.codec.CodecException;
import io.maaschain.ledger.block.BlockCodec;
import io.maaschain.ledger.genesis.GenesisParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Chain export files ({@code chain export} / {@code chain import}): the reader either refuses the file with a
 * {@link CodecException} or yields a genesis and blocks that the writer turns back into exactly the same file.
 * The genesis JSON and the blocks inside are decoded as {@code chain import} does.
 */
class ChainArchiveFuzzTest {
    @FuzzTest
    void export(byte[] input) throws IOException {
        String genesis;
        List<byte[]> blocks = new ArrayList<>();
        try (ChainArchive.Reader r = new ChainArchive.Reader(new ByteArrayInputStream(input))) {
            genesis = r.genesisJson();
            for (byte[] b = r.nextBlock(); b != null; b = r.nextBlock()) blocks.add(b);
        } catch (CodecException refused) {
            return;
        }
        decodeOrReject(() -> GenesisParser.parse(genesis), List.of(CodecException.class));
        for (byte[] b : blocks) decodeOrReject(() -> BlockCodec.decode(b), List.of(CodecException.class));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ChainArchive.Writer w = new ChainArchive.Writer(out, genesis)) {
            for (byte[] b : blocks) w.writeBlock(b);
        }
        io.maaschain.testing.FuzzInvariant.sameBytes(input, out.toByteArray(), blocks.size() + " exported blocks");
    }
}
