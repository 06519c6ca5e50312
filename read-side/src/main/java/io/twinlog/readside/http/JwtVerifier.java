package io.twinlog.readside.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Bearer tokens: JWTs signed with a key of a JWKS (a file, or a URL the issuer serves, fetched and
 * cached by nimbus-jose-jwt), from the configured issuer, for the configured audience, not expired.
 * The token's {@code scope} (space-separated) or {@code scp} claim says what the caller may do.
 */
public final class JwtVerifier {

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    /**
     * @param jwks a JWKS file's path, or an http(s) URL
     */
    public JwtVerifier(String jwks, String issuer, String audience) throws IOException {
        JWKSource<SecurityContext> keys;
        if (jwks.startsWith("https://") || jwks.startsWith("http://")) {
            keys = JWKSourceBuilder.create(URI.create(jwks).toURL()).build();
        } else {
            try {
                keys = new ImmutableJWKSet<>(JWKSet.parse(Files.readString(Path.of(jwks))));
            } catch (ParseException e) {
                throw new IllegalArgumentException("not a JWKS: " + jwks + ": " + e.getMessage());
            }
        }
        processor.setJWSKeySelector(
                new JWSVerificationKeySelector<>(
                        Set.of(
                                JWSAlgorithm.RS256,
                                JWSAlgorithm.RS384,
                                JWSAlgorithm.RS512,
                                JWSAlgorithm.ES256,
                                JWSAlgorithm.ES384,
                                JWSAlgorithm.PS256,
                                JWSAlgorithm.EdDSA),
                        keys));
        processor.setJWTClaimsSetVerifier(
                new DefaultJWTClaimsVerifier<>(
                        audience,
                        new JWTClaimsSet.Builder().issuer(issuer).build(),
                        Set.of("sub", "exp")));
    }

    /** The token's caller, or null if the token is not valid here (why is not told). */
    public Caller verify(String token) {
        try {
            JWTClaimsSet claims = processor.process(token, null);
            return new Caller(
                    claims.getSubject(), scopes(claims), claims.getExpirationTime().toInstant());
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return null;
        }
    }

    private static Set<String> scopes(JWTClaimsSet claims) throws ParseException {
        Set<String> scopes = new LinkedHashSet<>();
        String scope = claims.getStringClaim("scope");
        if (scope != null) {
            scopes.addAll(List.of(scope.split(" ")));
        }
        List<String> scp =
                claims.getClaim("scp") instanceof List<?> ? claims.getStringListClaim("scp") : null;
        if (scp != null) {
            scopes.addAll(scp);
        }
        return scopes;
    }
}
