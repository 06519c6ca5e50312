package io.twinlog.kernel;

import io.twinlog.schema.common.LogPosition;

/**
 * One record of the event log, as every engine hands it to the kernel: the bytes Kafka holds and
 * where they stand.
 *
 * @param key the record key, or null
 * @param value the record value, or null
 * @param timestamp the record's Kafka timestamp
 * @param rulesMarker whether its headers mark it as a rules marker ({@code
 *     io.twinlog.schema.RulesMarkers})
 */
public record LogRecord(
        byte[] key, byte[] value, long timestamp, boolean rulesMarker, LogPosition position) {}
