package io.twinlog.options;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OptionsReferenceTest {

    private static final Path PAGE = Path.of("..", "docs", "OPTIONS.md");

    @Test
    void theCommittedPageIsTheOneTheDeclarationsMake() throws Exception {
        String generated = OptionsReference.markdown();
        assertThat(Files.exists(PAGE) ? Files.readString(PAGE) : "")
                .as("docs/OPTIONS.md is out of date; it should read:%n%s", generated)
                .isEqualTo(generated);
    }

    @Test
    void everyOptionIsOnThePageWithItsDefaultAndTheSemanticOnesAreMarked() {
        String page = OptionsReference.markdown();
        assertThat(page)
                .contains("| `allowed.lateness` | `1h` | yes |")
                .contains("| `rules.refused-markers` | `none` | yes |")
                .contains("| `checkpoint.interval` | `10s` |  |")
                .contains("| `rules.file` | none | yes |");
        for (var param : DeviceTwinJobOptions.ALL) {
            assertThat(page).contains("| `" + param.key() + "` |");
        }
    }
}
