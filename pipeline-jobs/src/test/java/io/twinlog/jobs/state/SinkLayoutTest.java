package io.twinlog.jobs.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SinkLayoutTest {

    private static Optional<String> committed(String version) {
        return Optional.of(
                Path.of("src/test/resources/savepoints", version, "savepoint").toUri().toString());
    }

    @Test
    void aFreshStartChainsTheSinkToTheFold() {
        assertThat(SinkLayout.chainedToFold(Optional.empty())).isTrue();
    }

    @Test
    void aSavepointOfTheReleaseThatRanTheSinkApartKeepsItApart() {
        assertThat(SinkLayout.chainedToFold(committed("0.1.0"))).isFalse();
    }

    @Test
    void aSavepointOfTheChainedLayoutKeepsItChained() {
        assertThat(SinkLayout.chainedToFold(committed("0.2.0"))).isTrue();
    }
}
