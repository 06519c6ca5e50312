package io.twinlog.readside.query;

import io.twinlog.schema.state.DeviceState;
import io.twinlog.twin.DeviceFold;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What a snapshot of a fold depends on, as 64 bits: the semantic options (the rules included) and
 * the build of the fold's code. Rules versions published in the log need no place here: a snapshot
 * at a position depends only on the log before it, markers included, which never changes.
 */
public final class SnapshotFingerprint {

    private static final String BUILD = identifyBuild();

    private SnapshotFingerprint() {}

    public static long of(Map<String, String> semanticOptions, String build) {
        MessageDigest sha = sha256();
        new TreeMap<>(semanticOptions)
                .forEach(
                        (key, value) -> {
                            sha.update(key.getBytes(StandardCharsets.UTF_8));
                            sha.update((byte) 0);
                            sha.update(value.getBytes(StandardCharsets.UTF_8));
                            sha.update((byte) 0);
                        });
        sha.update(build.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(sha.digest()).getLong();
    }

    /**
     * The fold's build: the SHA-256 of the jar that holds it; for classes outside a jar (a build
     * tree, tests) a name of this process alone, so that code changed between two runs never reads
     * the other's snapshots.
     */
    public static String build() {
        return BUILD;
    }

    private static String identifyBuild() {
        StringBuilder build = new StringBuilder();
        // the fold, the read side's own part of a snapshot (the setters), and the state's schema
        for (Class<?> part :
                new Class<?>[] {DeviceFold.class, HistoryFold.class, DeviceState.class}) {
            String jar = jarDigest(part);
            if (jar == null) {
                return "process " + UUID.randomUUID();
            }
            if (build.indexOf(jar) < 0) {
                build.append(jar).append(' ');
            }
        }
        return "jars " + build.toString().trim();
    }

    private static String jarDigest(Class<?> part) {
        try {
            Path location =
                    Path.of(part.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(location)) {
                return null;
            }
            MessageDigest sha = sha256();
            try (InputStream in = Files.newInputStream(location)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null; // no readable jar: treated as an unpackaged build
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
