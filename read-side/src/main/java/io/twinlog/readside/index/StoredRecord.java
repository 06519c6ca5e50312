package io.twinlog.readside.index;

/**
 * One record of a topic as the index keeps it: where it stands, the broker's timestamp and the
 * value's bytes, undecoded (the wire format, so that decoding and admission are the job's own).
 */
public record StoredRecord(Position position, long timestamp, byte[] value) {}
