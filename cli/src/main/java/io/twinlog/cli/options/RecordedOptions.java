package io.twinlog.cli.options;

import io.twinlog.jobs.state.SavepointContents;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.JobManifest;
import java.util.List;
import java.util.Optional;

/**
 * The job options to read or recompute a savepoint's state with: the ones it recorded, unless the
 * user gives others.
 */
public final class RecordedOptions {

    private RecordedOptions() {}

    /** Prints which options are used when they are not all the recorded ones. */
    public static DeviceTwinJobOptions forSavepoint(
            String savepoint, JobOptionsMixin job, Connection connection, List<String> jobOptions) {
        Optional<JobManifest> recorded = SavepointContents.manifest(savepoint);
        if (recorded.isEmpty()) {
            System.err.println(
                    "note: "
                            + savepoint
                            + " records no semantic options (twinlog 0.2.0 or earlier):"
                            + " using the options given and the defaults");
            return job.parse(connection, jobOptions);
        }
        DeviceTwinJobOptions options =
                JobOptionsMixin.parse(job.arguments(connection, jobOptions, recorded.get()));
        List<String> changes =
                recorded.get()
                        .optionChanges(
                                new JobManifest(
                                        recorded.get().eventsTopic(),
                                        recorded.get().eventPartitions(),
                                        options.semantics()));
        if (!changes.isEmpty()) {
            System.err.println(
                    "note: using semantic options other than the savepoint's:\n  "
                            + String.join("\n  ", changes));
        }
        return options;
    }
}
