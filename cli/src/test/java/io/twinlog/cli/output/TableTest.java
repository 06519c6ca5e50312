package io.twinlog.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {

    record Topic(String name, int partitions, long records) {}

    private static String rendered(Table<?> table) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            table.render(out);
        }
        return text.toString();
    }

    @Test
    void alignsColumnsToTheirWidestCellAndNumbersToTheRight() {
        Table<Topic> table =
                Table.of(
                                List.of(
                                        new Topic("device-events", 6, 1_234_567),
                                        new Topic("device-twins", 12, 8)))
                        .column("TOPIC", Topic::name)
                        .number("PARTITIONS", Topic::partitions)
                        .number("RECORDS", Topic::records);

        assertThat(rendered(table).lines())
                .containsExactly(
                        "TOPIC          PARTITIONS    RECORDS",
                        "device-events           6  1,234,567",
                        "device-twins           12          8");
    }

    @Test
    void keepsCellsWithSpacesOnOneLineAndShowsMissingValuesAsADash() {
        Table<Topic> table =
                Table.of(List.of(new Topic("the job as a whole", 1, 0), new Topic(null, 2, 3)))
                        .column("WHAT", Topic::name)
                        .column("NOTE", t -> t.name() == null ? null : "a long note, with spaces");

        assertThat(rendered(table).lines())
                .containsExactly(
                        "WHAT                NOTE",
                        "the job as a whole  a long note, with spaces",
                        "-                   -");
    }

    @Test
    void saysSoWhenThereAreNoRows() {
        assertThat(rendered(Table.<Topic>of(List.of()).column("TOPIC", Topic::name)))
                .isEqualTo("(none)" + System.lineSeparator());
    }
}
