package io.maaschain.p2p;

import com.google.protobuf.ByteString;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.ChainIndex;
import io.maaschain.chain.Head;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.p2p.proto.Blocks;
import io.maaschain.p2p.proto.GetBlocks;
import io.maaschain.p2p.proto.GetHeaders;
import io.maaschain.p2p.proto.Headers;
import java.util.List;

/** Answers sync requests from the local chain. Requests over the limits are refused by the caller before this runs. */
final class Responder {
    private final Blockchain chain;
    private final int maxMessageBytes;

    Responder(Blockchain chain, int maxMessageBytes) {
        this.chain = chain;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Null if the request is within limits, else what is wrong with it. */
    static String checkGetHeaders(GetHeaders req) {
        if (req.getLocatorCount() < 1 || req.getLocatorCount() > Protocol.MAX_LOCATOR_HASHES) return "locator of " + req.getLocatorCount() + " hashes";
        for (ByteString h : req.getLocatorList()) if (h.size() != Hash.LENGTH) return "locator hash of " + h.size() + " bytes";
        if (req.getMaxHeaders() < 1 || req.getMaxHeaders() > Protocol.MAX_HEADERS_PER_FRAME) return "max_headers " + req.getMaxHeaders();
        return null;
    }

    static String checkGetBlocks(GetBlocks req) {
        if (req.getHashesCount() < 1 || req.getHashesCount() > Protocol.MAX_BLOCKS_PER_REQUEST) return req.getHashesCount() + " block hashes";
        for (ByteString h : req.getHashesList()) if (h.size() != Hash.LENGTH) return "block hash of " + h.size() + " bytes";
        return null;
    }

    /**
     * Canonical headers after the newest locator hash on the local canonical chain, stopping before the frame would
     * pass the size limit (headers with validator seals reach 48 KiB: 2000 of them would not fit any frame).
     */
    Headers headers(GetHeaders req) {
        ChainIndex index = chain.index();
        Head head = chain.head();
        Headers.Builder out = Headers.newBuilder().setRequestId(req.getRequestId());
        long fork = forkHeight(index, req.getLocatorList().stream().map(b -> Hash.wrap(b.toByteArray())).toList());
        if (fork < 0) return out.build();
        long last = Math.min(head.height(), fork + req.getMaxHeaders());
        long budget = maxMessageBytes - 64L * 1024;
        for (long h = fork + 1; h <= last; h++) {
            Hash hash = index.canonicalHash(h);
            Header header = hash == null ? null : index.header(hash);
            if (header == null) break;
            byte[] encoded = HeaderCodec.encode(header);
            budget -= encoded.length + 8;
            if (budget < 0) break;
            out.addHeaders(ByteString.copyFrom(encoded));
        }
        return out.build();
    }

    /** Height of the first locator hash that is on the canonical chain, or -1 if none is. */
    static long forkHeight(ChainIndex index, List<Hash> locator) {
        for (Hash h : locator) {
            Header header = index.header(h);
            if (header != null && h.equals(index.canonicalHash(header.height()))) return header.height();
        }
        return -1;
    }

    /** The requested blocks that are stored, in request order, stopping before the frame would pass the size limit. */
    Blocks blocks(GetBlocks req) {
        Blocks.Builder out = Blocks.newBuilder().setRequestId(req.getRequestId());
        long budget = maxMessageBytes - 64L * 1024;
        for (ByteString h : req.getHashesList()) {
            byte[] bytes = chain.index().blockBytes(Hash.wrap(h.toByteArray()));
            if (bytes == null) continue;
            budget -= bytes.length + 8;
            if (budget < 0) break;
            out.addBlocks(ByteString.copyFrom(bytes));
        }
        return out.build();
    }
}
