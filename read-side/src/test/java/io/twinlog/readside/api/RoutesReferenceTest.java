package io.twinlog.readside.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.readside.http.ReadSideServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RoutesReferenceTest {

    private static final Path PAGE = Path.of("..", "docs", "READ-SIDE.md");

    @Test
    void thePagesRouteTableIsTheOneTheServiceServes() throws Exception {
        String page = Files.readString(PAGE);
        int begin = page.indexOf(RoutesReference.BEGIN);
        int end = page.indexOf(RoutesReference.END);
        assertThat(begin).as("the page marks its generated table").isNotNegative();
        String committed = page.substring(begin + RoutesReference.BEGIN.length() + 1, end);
        String generated = RoutesReference.markdown(ReadSideServer.routeTable());
        assertThat(committed)
                .as(
                        "docs/READ-SIDE.md's route table is out of date; it should read:%n%s",
                        generated)
                .isEqualTo(generated);
        assertThat(generated)
                .contains("| `GET /health` | nothing |")
                .contains(
                        "| `GET /api/devices/{id}/history?from=&to=&cursor=&limit=` | scope `read` |")
                .contains("| `POST /api/session` | nothing |");
    }
}
