package io.twinlog.schema;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Checks a new schema against the earlier versions of a subject with Avro's own resolution rules,
 * the way the Confluent Schema Registry does: BACKWARD means the new schema can read data written
 * with the previous one, FORWARD the reverse, FULL both; the transitive variants check every
 * earlier version instead of the latest only.
 */
public final class Compatibility {

    private Compatibility() {}

    /**
     * Returns the incompatibilities found, empty when compatible.
     *
     * @param previous the earlier versions, oldest first
     */
    public static List<String> check(
            CompatibilityLevel level, Schema candidate, List<Schema> previous) {
        List<String> problems = new ArrayList<>();
        if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
            return problems;
        }
        List<Schema> against =
                level.transitive() ? previous : List.of(previous.get(previous.size() - 1));
        for (int i = 0; i < against.size(); i++) {
            Schema earlier = against.get(i);
            String which = level.transitive() ? "version " + (i + 1) : "the latest version";
            if (level.newMustReadOld()) {
                describe(
                        SchemaCompatibility.checkReaderWriterCompatibility(candidate, earlier),
                        "the new schema cannot read data written with " + which,
                        problems);
            }
            if (level.oldMustReadNew()) {
                describe(
                        SchemaCompatibility.checkReaderWriterCompatibility(earlier, candidate),
                        which + " cannot read data written with the new schema",
                        problems);
            }
        }
        return problems;
    }

    private static void describe(
            SchemaPairCompatibility result, String what, List<String> problems) {
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (SchemaCompatibility.Incompatibility incompatibility :
                result.getResult().getIncompatibilities()) {
            problems.add(
                    what
                            + ": "
                            + incompatibility.getType()
                            + " at "
                            + incompatibility.getLocation()
                            + " ("
                            + incompatibility.getMessage()
                            + ")");
        }
    }
}
