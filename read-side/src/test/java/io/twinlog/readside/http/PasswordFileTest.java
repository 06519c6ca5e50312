package io.twinlog.readside.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {

    @TempDir Path dir;

    @Test
    void onlyTheRightPasswordOfAKnownNameIsACaller() throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(
                file,
                "# the console\n" + PasswordFile.line("console", Set.of("read"), "s3cret") + "\n");
        PasswordFile users = PasswordFile.read(file);

        Caller caller = users.check("console", "s3cret");
        assertThat(caller).isNotNull();
        assertThat(caller.name()).isEqualTo("console");
        assertThat(caller.scopes()).containsExactly("read");
        assertThat(users.check("console", "s3cret")).as("again, remembered").isNotNull();
        assertThat(users.check("console", "s3cret ")).isNull();
        assertThat(users.check("console", "")).isNull();
        assertThat(users.check("nobody", "s3cret")).isNull();
    }

    @Test
    void theFileNeverHoldsThePasswordAndALineNotMadeByHashPasswordIsRefused() throws Exception {
        String line = PasswordFile.line("console", Set.of("read"), "s3cret");
        assertThat(line).doesNotContain("s3cret").startsWith("console:read:pbkdf2-sha256$");
        assertThat(PasswordFile.line("console", Set.of("read"), "s3cret"))
                .as("a fresh salt each time")
                .isNotEqualTo(line);

        Path file = dir.resolve("plain");
        Files.writeString(file, "console:read:s3cret\n");
        assertThatThrownBy(() -> PasswordFile.read(file))
                .hasMessageContaining("line 1")
                .hasMessageContaining("--hash-password")
                .hasMessageNotContaining("s3cret");
        Path empty = dir.resolve("empty");
        Files.writeString(empty, "# nobody yet\n");
        assertThatThrownBy(() -> PasswordFile.read(empty)).hasMessageContaining("no users");
    }
}
