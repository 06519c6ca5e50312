package io.twinlog.twin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Ids are part of the output contract: the same in every run and every version. The expected values
 * are name-based UUIDs of the documented parts (docs/FOLD.md, ids), computed outside Java.
 */
class DeterministicIdsTest {

    @Test
    void idsAreTheDocumentedNameBasedUuids() {
        assertThat(DeterministicIds.derivedEvent("d1", "registered", "e1"))
                .isEqualTo("ec2b71fb-f0ee-34db-8404-a31a745f5a98");
        assertThat(DeterministicIds.alert("d1", "temperature-high", "e2"))
                .isEqualTo("82384ea9-90ca-3158-bf8b-ba6b0d326d2e");
        assertThat(DeterministicIds.silenceObservation("d1", "e2"))
                .isEqualTo("fcf78ab4-e2b6-3e98-8964-7a8d6cdd1429");
    }

    @Test
    void partsCannotRunIntoEachOther() {
        assertThat(DeterministicIds.alert("d|1", "x", "y"))
                .isEqualTo("2ccc21ba-6df7-3a76-8d86-2202f49bd49f");
        assertThat(DeterministicIds.alert("d", "1|x", "y"))
                .isEqualTo("fa788307-9fb2-393d-af0b-9d870f6cf3c5");
    }
}
