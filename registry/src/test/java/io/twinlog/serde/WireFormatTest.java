package io.twinlog.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void headerIsTheMagicByteAndABigEndianSchemaId() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WireFormat.writeHeader(out, 0x01020304);

        assertThat(HexFormat.of().formatHex(out.toByteArray())).isEqualTo("0001020304");
    }

    @Test
    void readsTheIdBackFromArraysAndStreams() throws IOException {
        for (int id : new int[] {0, 1, 42, 0x7fffffff, -1}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            WireFormat.writeHeader(out, id);
            out.write(new byte[] {9, 9});
            byte[] framed = out.toByteArray();

            assertThat(WireFormat.schemaId(framed)).isEqualTo(id);
            ByteArrayInputStream in = new ByteArrayInputStream(framed);
            assertThat(WireFormat.readSchemaId(in)).isEqualTo(id);
            assertThat(in.read()).as("stream left at the body").isEqualTo(9);
        }
    }

    @Test
    void refusesAWrongMagicByte() {
        byte[] json = "{\"eventId\":1}".getBytes();
        assertThatThrownBy(() -> WireFormat.schemaId(json))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("unknown magic byte 0x7b");
        assertThatThrownBy(() -> WireFormat.readSchemaId(new ByteArrayInputStream(json)))
                .isInstanceOf(WireFormatException.class);
    }

    @Test
    void refusesRecordsShorterThanTheHeader() {
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[0]))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> WireFormat.schemaId(null)).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {0, 0, 1}))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("shorter than the 5-byte header");
        assertThatThrownBy(
                        () ->
                                WireFormat.readSchemaId(
                                        new ByteArrayInputStream(new byte[] {0, 0, 1})))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("inside the schema id");
    }
}
