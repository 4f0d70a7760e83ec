package io.maaschain.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.p2p.proto.GetHeaders;
import io.maaschain.p2p.proto.Headers;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.TestChain;
import org.junit.jupiter.api.Test;

/** Headers answers are bounded by bytes as well as by count: headers with validator seals reach 48 KiB each. */
class ResponderTest {
    @Test
    void headersStopBeforeTheFrameWouldPassTheSizeLimit() throws Exception {
        try (TestNode node = TestNode.offline(0, TestChain.genesis(Fixtures.key(1)))) {
            node.mine(20);
            int headerBytes = HeaderCodec.encode(node.chain.head().header()).length;
            GetHeaders all = GetHeaders.newBuilder().setRequestId(1).setMaxHeaders(2000)
                    .addLocator(ByteString.copyFrom(node.chain.genesisHash().toBytes())).build();

            Headers roomy = new Responder(node.chain, 4 << 20).headers(all);
            assertThat(roomy.getHeadersCount()).isEqualTo(20);

            Headers tight = new Responder(node.chain, 64 * 1024 + 5 * (headerBytes + 8) + 1).headers(all);
            assertThat(tight.getHeadersCount()).isEqualTo(5);
            assertThat(HeaderCodec.decode(tight.getHeaders(0).toByteArray()).height()).isEqualTo(1);
        }
    }
}
