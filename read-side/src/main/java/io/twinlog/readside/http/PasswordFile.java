package io.twinlog.readside.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Users of the read side for small setups (HTTP Basic): one per line, {@code
 * name:scope,scope:pbkdf2-sha256$iterations$salt$hash} (salt and hash in base64). Passwords are
 * never stored; {@link #line} makes a line ({@code twinlog serve --hash-password}).
 */
public final class PasswordFile {

    private static final int ITERATIONS = 210_000;
    private static final String SCHEME = "pbkdf2-sha256";

    private record User(Set<String> scopes, int iterations, byte[] salt, byte[] hash) {}

    /**
     * HTTP Basic sends the password with every request: a verified pair is remembered for a while
     * (by digest) so that a scraper or a script does not pay a derivation per request.
     */
    private static final Duration VERIFIED_FOR = Duration.ofMinutes(5);

    private static final int MAX_VERIFIED = 1_000;
    private static final int CONCURRENT_CHECKS = 2;

    private final Map<String, User> users;
    private final Map<String, Long> verified = new ConcurrentHashMap<>();
    private final Semaphore checking = new Semaphore(CONCURRENT_CHECKS);

    private PasswordFile(Map<String, User> users) {
        this.users = users;
    }

    public static PasswordFile read(Path file) throws IOException {
        Map<String, User> users = new HashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(":", 3);
            String[] hash = parts.length == 3 ? parts[2].split("\\$") : new String[0];
            if (hash.length != 4 || !hash[0].equals(SCHEME)) {
                throw new IllegalArgumentException(
                        file
                                + " line "
                                + (i + 1)
                                + ": expected name:scopes:"
                                + SCHEME
                                + "$iterations$salt$hash (twinlog serve --hash-password makes one)");
            }
            users.put(
                    parts[0],
                    new User(
                            new LinkedHashSet<>(List.of(parts[1].split(","))),
                            Integer.parseInt(hash[1]),
                            Base64.getDecoder().decode(hash[2]),
                            Base64.getDecoder().decode(hash[3])));
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException(file + " has no users");
        }
        return new PasswordFile(users);
    }

    /** The caller with these credentials, or null. Constant time in the password's check. */
    public Caller check(String name, String password) {
        String key = cacheKey(name, password);
        Long until = verified.get(key);
        User user = users.get(name);
        if (until != null && until - System.nanoTime() > 0 && user != null) {
            return new Caller(name, user.scopes(), null);
        }
        byte[] hash = deriveBounded(password, user == null ? new byte[16] : user.salt(), user);
        if (user == null || !MessageDigest.isEqual(hash, user.hash())) {
            // An unknown name costs as long as a wrong password: timing does not tell names.
            return null;
        }
        if (verified.size() >= MAX_VERIFIED) {
            verified.clear();
        }
        verified.put(key, System.nanoTime() + VERIFIED_FOR.toNanos());
        return new Caller(name, user.scopes(), null);
    }

    /**
     * A derivation costs a good part of a second of CPU on purpose: at most {@value
     * #CONCURRENT_CHECKS} at a time, so that a flood of guesses cannot take every core.
     */
    private byte[] deriveBounded(String password, byte[] salt, User user) {
        try {
            if (!checking.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new ReadSideAccess.Refused(
                        503, "too many passwords being checked; try again", Map.of());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadSideAccess.Refused(503, "interrupted", Map.of());
        }
        try {
            return derive(password, salt, user == null ? ITERATIONS : user.iterations());
        } finally {
            checking.release();
        }
    }

    /** What a verified name and password are remembered by: their digest, never the password. */
    private static String cacheKey(String name, String password) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A line of the file for this user. */
    public static String line(String name, Set<String> scopes, String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return name
                + ":"
                + String.join(",", scopes)
                + ":"
                + SCHEME
                + "$"
                + ITERATIONS
                + "$"
                + Base64.getEncoder().encodeToString(salt)
                + "$"
                + Base64.getEncoder().encodeToString(derive(password, salt, ITERATIONS));
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256))
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JVM", e);
        }
    }
}
