package io.twinlog.serde;

import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * The branches of a writer's unions that the reader's unions do not have. Avro resolves a writer
 * branch with no match by name to the first reader branch it can read it as, which for records is
 * any record whose fields all have defaults: a {@code DeviceRebooted} read as a {@code
 * DeviceDecommissioned}. A value written as such a branch must be refused instead; values of the
 * other branches of the same writer schema decode as usual.
 */
final class UnknownBranches {

    /** Writer unions (by identity) to the full names of their branches the reader lacks. */
    private final Map<Schema, Set<String>> unknown;

    private final GenericDatumReader<Object> asWritten;

    private UnknownBranches(Schema writer, Map<Schema, Set<String>> unknown) {
        this.unknown = unknown;
        this.asWritten = unknown.isEmpty() ? null : new GenericDatumReader<>(writer);
    }

    /** Reads a value with the writer's schema alone, to {@link #check} it. */
    GenericDatumReader<Object> asWritten() {
        return asWritten;
    }

    /** The branches of {@code writer}'s unions that {@code reader}'s unions lack. */
    static UnknownBranches of(Schema writer, Schema reader) {
        Map<Schema, Set<String>> unknown = new IdentityHashMap<>();
        walk(writer, reader, unknown, Collections.newSetFromMap(new IdentityHashMap<>()));
        return new UnknownBranches(writer, unknown);
    }

    boolean none() {
        return unknown.isEmpty();
    }

    /**
     * Checks a value decoded with the writer schema alone.
     *
     * @throws UnknownUnionBranchException if it holds a value of a branch the reader lacks
     */
    void check(Schema writer, Object value) throws UnknownUnionBranchException {
        switch (writer.getType()) {
            case UNION -> {
                Schema branch =
                        writer.getTypes().get(GenericData.get().resolveUnion(writer, value));
                Set<String> lacking = unknown.get(writer);
                if (lacking != null && lacking.contains(branch.getFullName())) {
                    throw new UnknownUnionBranchException(
                            branch.getFullName(), "union of " + names(writer.getTypes()));
                }
                check(branch, value);
            }
            case RECORD -> {
                for (Schema.Field field : writer.getFields()) {
                    check(field.schema(), ((GenericRecord) value).get(field.pos()));
                }
            }
            case ARRAY -> {
                for (Object item : (java.util.Collection<?>) value) {
                    check(writer.getElementType(), item);
                }
            }
            case MAP -> {
                for (Object item : ((Map<?, ?>) value).values()) {
                    check(writer.getValueType(), item);
                }
            }
            default -> {}
        }
    }

    private static void walk(
            Schema writer, Schema reader, Map<Schema, Set<String>> unknown, Set<Schema> seen) {
        if (!seen.add(writer)) {
            return;
        }
        switch (writer.getType()) {
            case UNION -> {
                for (Schema branch : writer.getTypes()) {
                    Schema match = matching(branch, reader);
                    if (match == null) {
                        if (reader.getType() == Schema.Type.UNION) {
                            unknown.computeIfAbsent(writer, w -> new HashSet<>())
                                    .add(branch.getFullName());
                        }
                    } else {
                        walk(branch, match, unknown, seen);
                    }
                }
            }
            case RECORD -> {
                Schema record = matching(writer, reader);
                if (record == null || record.getType() != Schema.Type.RECORD) {
                    return;
                }
                for (Schema.Field field : writer.getFields()) {
                    Schema.Field read = record.getField(field.name());
                    if (read == null) {
                        read = byAlias(record, field.name());
                    }
                    if (read != null) {
                        walk(field.schema(), read.schema(), unknown, seen);
                    }
                }
            }
            case ARRAY -> {
                Schema array = matching(writer, reader);
                if (array != null) {
                    walk(writer.getElementType(), array.getElementType(), unknown, seen);
                }
            }
            case MAP -> {
                Schema map = matching(writer, reader);
                if (map != null) {
                    walk(writer.getValueType(), map.getValueType(), unknown, seen);
                }
            }
            default -> {}
        }
    }

    /**
     * What the reader reads a writer (non-union) schema as: the reader itself, or its union's
     * branch of the same name (or that promotes to it); null if none.
     */
    private static Schema matching(Schema writer, Schema reader) {
        if (reader.getType() != Schema.Type.UNION) {
            return sameKind(writer, reader) ? reader : null;
        }
        for (Schema branch : reader.getTypes()) {
            if (sameKind(writer, branch)) {
                return branch;
            }
        }
        return null;
    }

    private static boolean sameKind(Schema writer, Schema reader) {
        return switch (writer.getType()) {
            case RECORD, ENUM, FIXED ->
                    reader.getType() == writer.getType()
                            && (reader.getFullName().equals(writer.getFullName())
                                    || reader.getAliases().contains(writer.getFullName()));
            case INT ->
                    List.of(
                                    Schema.Type.INT,
                                    Schema.Type.LONG,
                                    Schema.Type.FLOAT,
                                    Schema.Type.DOUBLE)
                            .contains(reader.getType());
            case LONG ->
                    List.of(Schema.Type.LONG, Schema.Type.FLOAT, Schema.Type.DOUBLE)
                            .contains(reader.getType());
            case FLOAT -> List.of(Schema.Type.FLOAT, Schema.Type.DOUBLE).contains(reader.getType());
            case STRING, BYTES ->
                    reader.getType() == Schema.Type.STRING || reader.getType() == Schema.Type.BYTES;
            default -> reader.getType() == writer.getType();
        };
    }

    private static Schema.Field byAlias(Schema record, String name) {
        for (Schema.Field field : record.getFields()) {
            if (field.aliases().contains(name)) {
                return field;
            }
        }
        return null;
    }

    private static String names(List<Schema> types) {
        return types.stream().map(Schema::getName).toList().toString();
    }
}
