package io.maaschain.p2p;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import java.math.BigInteger;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TLS for peer traffic. Each node makes a fresh self-signed ECDSA P-256 certificate at start. Clients accept any
 * certificate: a peer's identity is its node key, proven in the handshake, and the handshake transcript includes the
 * SHA-256 of the responder's certificate as both sides see it, so a relay that terminates TLS breaks the signatures.
 */
final class TlsCredentials {
    private static final long VALIDITY_MILLIS = 10L * 365 * 24 * 3600 * 1000;

    private final java.security.PrivateKey key;
    private final X509Certificate certificate;
    private final Hash certificateHash;

    private TlsCredentials(java.security.PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
        this.certificateHash = certificateHash(certificate);
    }

    static TlsCredentials selfSigned(SecureRandom random, long nowMillis) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), random);
            java.security.KeyPair kp = gen.generateKeyPair();
            X500Name name = new X500Name("CN=maaschain-peer");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, random).add(BigInteger.ONE),
                    new Date(nowMillis - 3_600_000), new Date(nowMillis + VALIDITY_MILLIS), name, kp.getPublic());
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new TlsCredentials(kp.getPrivate(), cert);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create a self-signed TLS certificate", e);
        }
    }

    /** The value the handshake transcript binds to: SHA-256 of the certificate's DER encoding. */
    Hash certificateHash() {
        return certificateHash;
    }

    static Hash certificateHash(java.security.cert.Certificate cert) {
        try {
            return Sha256.hash(cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode a TLS certificate", e);
        }
    }

    SslContext serverContext() throws SSLException {
        return GrpcSslContexts.configure(SslContextBuilder.forServer(key, certificate)).build();
    }

    static SslContext clientContext() throws SSLException {
        return GrpcSslContexts.forClient().trustManager(AcceptAny.INSTANCE).build();
    }

    /** Accepts any server certificate and skips host name checks; authentication is the handshake's job. */
    private static final class AcceptAny extends X509ExtendedTrustManager {
        static final AcceptAny INSTANCE = new AcceptAny();

        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
        @Override public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
