package io.twinlog.e2e;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;

/** An identity provider of the test's own: a key whose public half is the read side's JWKS. */
final class TestTokens {

    static final String ISSUER = "https://login.test.example";
    static final String AUDIENCE = "twinlog-read-side";

    final Path jwks;
    private final RSAKey key;
    private final RSAKey other;

    TestTokens(Path jwks) throws JOSEException, IOException {
        this.jwks = jwks;
        key = new RSAKeyGenerator(2048).keyID("test").generate();
        other = new RSAKeyGenerator(2048).keyID("test").generate();
        Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
    }

    /** A bearer token for this audience that expires in so many seconds (negative: has). */
    String bearer(String audience, long expiresInSeconds) throws JOSEException {
        return "Bearer " + sign(key, audience, expiresInSeconds);
    }

    /** A token like the issuer's, signed by a key that is not in the JWKS. */
    String forged(String audience) throws JOSEException {
        return "Bearer " + sign(other, audience, 60);
    }

    private static String sign(RSAKey signer, String audience, long expiresInSeconds)
            throws JOSEException {
        Instant now = Instant.now();
        SignedJWT jwt =
                new SignedJWT(
                        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(),
                        new JWTClaimsSet.Builder()
                                .issuer(ISSUER)
                                .audience(audience)
                                .subject("dashboard")
                                .claim("scope", "read")
                                .issueTime(Date.from(now.minusSeconds(3600)))
                                .expirationTime(Date.from(now.plusSeconds(expiresInSeconds)))
                                .build());
        jwt.sign(new RSASSASigner(signer));
        return jwt.serialize();
    }
}
