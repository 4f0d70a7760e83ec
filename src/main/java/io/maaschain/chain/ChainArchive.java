package io.maaschain.chain;

import io.maaschain.codec.CodecException;
import io.maaschain.ledger.block.BlockCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The portable chain file written by {@code chain export} (docs/spec.md, "Chain export file"): a magic line,
 * the genesis JSON, then each canonical block's stored bytes in height order, then an end marker.
 * Blocks stream through; nothing holds the whole chain in memory.
 */
public final class ChainArchive {
    static final byte[] MAGIC = "MAASCHAIN-CHAIN\n".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int END_MARKER = 0xFFFF_FFFF;
    static final int MAX_GENESIS_BYTES = 4 * 1024 * 1024;

    private ChainArchive() {}

    public static final class Writer implements Closeable {
        private final DataOutputStream out;
        private long blocks;

        public Writer(OutputStream os, String genesisJson) throws IOException {
            out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
            out.write(MAGIC);
            out.writeInt(VERSION);
            byte[] g = genesisJson.getBytes(StandardCharsets.UTF_8);
            out.writeInt(g.length);
            out.write(g);
        }

        public void writeBlock(byte[] blockBytes) throws IOException {
            out.writeInt(blockBytes.length);
            out.write(blockBytes);
            blocks++;
        }

        public long blocks() {
            return blocks;
        }

        @Override
        public void close() throws IOException {
            out.writeInt(END_MARKER);
            out.writeLong(blocks);
            out.close();
        }
    }

    public static final class Reader implements Closeable {
        private final DataInputStream in;
        private final String genesisJson;
        private long read;
        private boolean ended;

        public Reader(InputStream is) throws IOException {
            in = new DataInputStream(new BufferedInputStream(is, 1 << 16));
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) throw new CodecException("not a maaschain chain export (bad magic)");
            int version = readInt("format version");
            if (version != VERSION) throw new CodecException("chain export format version " + version + ", this node reads " + VERSION);
            int len = readInt("genesis length");
            if (len < 0 || len > MAX_GENESIS_BYTES) throw new CodecException("genesis section of " + len + " bytes is out of bounds");
            try {
                // Strict: a lossy decode would import a genesis other than the one exported.
                genesisJson = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(readExactly(len, "genesis"))).toString();
            } catch (CharacterCodingException e) {
                throw new CodecException("the genesis section of the export is not valid UTF-8");
            }
        }

        public String genesisJson() {
            return genesisJson;
        }

        /** The next block's bytes, or null after the last one; a truncated or padded file is an error. */
        public byte[] nextBlock() throws IOException {
            if (ended) return null;
            int len = readInt("block length (no end marker)");
            if (len == END_MARKER) {
                long count = readLong();
                if (count != read) throw new CodecException("export trailer says " + count + " blocks, the file holds " + read);
                if (in.read() != -1) throw new CodecException("bytes after the end of the export");
                ended = true;
                return null;
            }
            if (len < 0 || len > BlockCodec.MAX_BLOCK_BYTES) throw new CodecException("block " + (read + 1) + " claims " + len + " bytes");
            byte[] b = readExactly(len, "block " + (read + 1));
            read++;
            return b;
        }

        private int readInt(String what) throws IOException {
            try {
                return in.readInt();
            } catch (EOFException e) {
                throw new CodecException("export is truncated at its " + what);
            }
        }

        private long readLong() throws IOException {
            try {
                return in.readLong();
            } catch (EOFException e) {
                throw new CodecException("export is truncated in its trailer");
            }
        }

        private byte[] readExactly(int n, String what) throws IOException {
            byte[] b = in.readNBytes(n);
            if (b.length != n) throw new CodecException("export is truncated inside " + what);
            return b;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
