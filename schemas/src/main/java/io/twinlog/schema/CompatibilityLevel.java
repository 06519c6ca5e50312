package io.twinlog.schema;

/** The compatibility levels of the Confluent Schema Registry, with the same names. */
public enum CompatibilityLevel {
    NONE,
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE;

    boolean transitive() {
        return name().endsWith("_TRANSITIVE");
    }

    boolean newMustReadOld() {
        return this != NONE && !name().startsWith("FORWARD");
    }

    boolean oldMustReadNew() {
        return this != NONE && !name().startsWith("BACKWARD");
    }
}
