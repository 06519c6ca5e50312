package io.twinlog.jobs.functions;

import io.twinlog.jobs.topology.Descriptors;
import io.twinlog.options.JobManifest;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link JobManifest} in the fold operator's state, and checks the one a restored state
 * recorded. A refusal fails the job without restarts: the same state and options would fail the
 * same way on every attempt, so a restart loop would only hide the message.
 */
public final class RecordedManifest implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RecordedManifest.class);

    private final JobManifest current;
    private final boolean acceptOptionChange;
    private transient ListState<String> state;

    public RecordedManifest(JobManifest current, boolean acceptOptionChange) {
        this.current = current;
        this.acceptOptionChange = acceptOptionChange;
    }

    public void initialize(FunctionInitializationContext context) throws Exception {
        state = context.getOperatorStateStore().getUnionListState(Descriptors.JOB_MANIFEST);
        if (context.isRestored()) {
            check(state.get());
        }
        state.update(List.of(current.toJson()));
    }

    /**
     * Each subtask writes the manifest; a restore hands every subtask all of them (union state).
     */
    public void snapshot() throws Exception {
        state.update(List.of(current.toJson()));
    }

    private void check(Iterable<String> restored) {
        List<String> recorded = new ArrayList<>();
        restored.forEach(recorded::add);
        if (recorded.isEmpty()) {
            LOG.warn(
                    "The restored state records no semantic options (written by twinlog 0.2.0 or earlier): continuing"
                            + " with {} and recording them from now on",
                    current.semantics().values());
            return;
        }
        JobManifest before = JobManifest.fromJson(recorded.get(0));
        String refusal = before.refusal(current, acceptOptionChange);
        if (refusal != null) {
            throw new SuppressRestartsException(new IllegalStateException(refusal));
        }
        List<String> changes = before.optionChanges(current);
        if (!changes.isEmpty()) {
            LOG.warn(
                    "Semantic options changed on restore, as accepted (--semantics.accept-change): {}",
                    changes);
        }
    }
}
