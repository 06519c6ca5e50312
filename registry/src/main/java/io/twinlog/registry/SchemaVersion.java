package io.twinlog.registry;

/** One version of a subject as the registry reports it. */
public record SchemaVersion(String subject, int version, int id, String schema) {}
