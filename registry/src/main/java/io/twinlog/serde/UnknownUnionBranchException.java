package io.twinlog.serde;

/**
 * The value was written as a branch of a union the reader's union has no branch for (a new event
 * type from a producer that upgraded before the readers). Avro would resolve it to some branch
 * whose fields all have defaults, silently: a different value.
 */
public final class UnknownUnionBranchException extends MalformedAvroException {

    private static final long serialVersionUID = 1L;

    private final String branch;

    public UnknownUnionBranchException(String branch, String union) {
        super("written as " + branch + ", which the reader's " + union + " does not have", null);
        this.branch = branch;
    }

    /** The full name of the writer's branch. */
    public String branch() {
        return branch;
    }
}
