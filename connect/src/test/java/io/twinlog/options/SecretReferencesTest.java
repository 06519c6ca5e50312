package io.twinlog.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretReferencesTest {

    private static final SecretReferences WITH_TOKEN =
            SecretReferences.withEnvironment(Map.of("TOKEN", "t0k"));

    @Test
    void resolvesEnvironmentFileAndDirectoryReferences(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "registry.user.info=bob:s3cret\n");
        Files.writeString(dir.resolve("password"), "pw");

        assertThat(WITH_TOKEN.resolve("x", "${env:TOKEN}")).isEqualTo("t0k");
        assertThat(WITH_TOKEN.resolve("x", "${file:" + file + ":registry.user.info}"))
                .isEqualTo("bob:s3cret");
        assertThat(WITH_TOKEN.resolve("x", "alice:${directory:" + dir + ":password}"))
                .isEqualTo("alice:pw");
        assertThat(WITH_TOKEN.resolve("x", "no reference")).isEqualTo("no reference");
        assertThat(WITH_TOKEN.resolve("x", null)).isNull();
    }

    @Test
    void anUnresolvableReferenceNamesTheSettingAndTheReference(@TempDir Path dir) {
        assertThatThrownBy(() -> WITH_TOKEN.resolve("user.info", "${env:NOPE}"))
                .hasMessage("user.info: ${env:NOPE} is not set");
        assertThatThrownBy(
                        () ->
                                WITH_TOKEN.resolve(
                                        "user.info", "${file:" + dir.resolve("missing") + ":k}"))
                .hasMessageStartingWith("user.info: ${file:");
        assertThatThrownBy(() -> WITH_TOKEN.resolve("user.info", "${vault:a:b}"))
                .hasMessage(
                        "user.info: ${vault:a:b}: unknown provider 'vault' (env, file or directory)");
    }

    @Test
    void theProcessWideInstanceStaysOneAfterSerialization() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(SecretReferences.INSTANCE);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isSameAs(SecretReferences.INSTANCE);
        }
    }
}
