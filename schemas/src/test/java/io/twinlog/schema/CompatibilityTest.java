package io.twinlog.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CompatibilityTest {

    private static final Schema V1 =
            parse(
                    """
            {"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}""");
    private static final Schema V2_OPTIONAL_FIELD =
            parse(
                    """
            {"type":"record","name":"R","fields":[{"name":"a","type":"string"},
             {"name":"b","type":["null","string"],"default":null}]}""");
    private static final Schema V2_REQUIRED_FIELD =
            parse(
                    """
            {"type":"record","name":"R","fields":[{"name":"a","type":"string"},{"name":"b","type":"int"}]}""");
    private static final Schema V3_WITHOUT_A =
            parse(
                    """
            {"type":"record","name":"R","fields":[{"name":"b","type":["null","string"],"default":null}]}""");
    private static final Schema V2_INT_A =
            parse(
                    """
            {"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}""");

    @Test
    void addingAFieldWithADefaultIsBackwardCompatible() {
        assertThat(Compatibility.check(CompatibilityLevel.BACKWARD, V2_OPTIONAL_FIELD, List.of(V1)))
                .isEmpty();
        assertThat(Compatibility.check(CompatibilityLevel.FULL, V2_OPTIONAL_FIELD, List.of(V1)))
                .isEmpty();
    }

    @Test
    void addingARequiredFieldIsNotBackwardCompatible() {
        assertThat(Compatibility.check(CompatibilityLevel.BACKWARD, V2_REQUIRED_FIELD, List.of(V1)))
                .singleElement()
                .asString()
                .contains("READER_FIELD_MISSING_DEFAULT")
                .contains("b");
        // Old readers ignore the new field, so it is still forward compatible.
        assertThat(Compatibility.check(CompatibilityLevel.FORWARD, V2_REQUIRED_FIELD, List.of(V1)))
                .isEmpty();
    }

    @Test
    void changingATypeIsIncompatibleBothWays() {
        assertThat(Compatibility.check(CompatibilityLevel.BACKWARD, V2_INT_A, List.of(V1)))
                .isNotEmpty();
        assertThat(Compatibility.check(CompatibilityLevel.FORWARD, V2_INT_A, List.of(V1)))
                .isNotEmpty();
    }

    @Test
    void transitiveLevelsCheckEveryEarlierVersionPlainOnesOnlyTheLatest() {
        // Dropping a field is fine for the new reader; the old readers cannot fill "a" any more.
        List<Schema> history = List.of(V1, V2_OPTIONAL_FIELD);
        assertThat(
                        Compatibility.check(
                                CompatibilityLevel.BACKWARD_TRANSITIVE, V3_WITHOUT_A, history))
                .isEmpty();
        assertThat(Compatibility.check(CompatibilityLevel.FORWARD, V3_WITHOUT_A, history))
                .isNotEmpty();

        Schema v3RequiresB = V2_REQUIRED_FIELD;
        List<Schema> withDefaultedB =
                List.of(
                        V1,
                        parse(
                                """
                {"type":"record","name":"R","fields":[{"name":"a","type":"string"},{"name":"b","type":"int","default":0}]}"""));
        assertThat(Compatibility.check(CompatibilityLevel.BACKWARD, v3RequiresB, withDefaultedB))
                .isEmpty();
        assertThat(
                        Compatibility.check(
                                CompatibilityLevel.BACKWARD_TRANSITIVE,
                                v3RequiresB,
                                withDefaultedB))
                .singleElement()
                .asString()
                .startsWith("the new schema cannot read data written with version 1");
    }

    @Test
    void noneAndAnEmptyHistoryAcceptAnything() {
        assertThat(Compatibility.check(CompatibilityLevel.NONE, V2_INT_A, List.of(V1))).isEmpty();
        assertThat(Compatibility.check(CompatibilityLevel.FULL_TRANSITIVE, V2_INT_A, List.of()))
                .isEmpty();
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
