package io.twinlog.cli.commands;

import io.twinlog.cli.flink.FlinkResponses;
import io.twinlog.cli.flink.FlinkRestClient;
import io.twinlog.cli.flink.JobHealth;
import io.twinlog.cli.flink.JobView;
import io.twinlog.cli.flink.TwinlogJobs;
import io.twinlog.cli.kafka.KafkaAccess;
import io.twinlog.cli.kafka.RecordLag;
import io.twinlog.cli.options.Connection;
import io.twinlog.cli.output.CliException;
import io.twinlog.cli.output.OutputOption;
import io.twinlog.cli.output.Terminal;
import io.twinlog.jobs.DeviceTwinJob;
import io.twinlog.options.SourceOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        description =
                "The DeviceTwinJobs on the cluster: state, uptime, restarts, the last checkpoint, and"
                        + " the consumer lag of each partition of the event log (the group's offsets,"
                        + " committed at each checkpoint, behind the last stable offset; a transaction"
                        + " marker at a partition's end counts as one).")
public final class JobsCommand implements Callable<Integer> {

    @Mixin Terminal terminal;

    @Mixin Connection connection;

    @Option(names = "--all", description = "finished, failed and cancelled jobs too")
    boolean all;

    @Mixin OutputOption output;

    @Override
    public Integer call() throws Exception {
        FlinkRestClient flink = connection.flink();
        List<FlinkResponses.JobOverview> jobs = new ArrayList<>();
        for (var job : flink.jobs().jobs()) {
            if (DeviceTwinJob.JOB_NAME.equals(job.name())
                    && (all || TwinlogJobs.ACTIVE.contains(job.state()))) {
                jobs.add(job);
            }
        }
        List<JobView> out = new ArrayList<>();
        if (jobs.isEmpty() && !output.json()) {
            terminal.out()
                    .println(
                            "no "
                                    + (all ? "" : "active ")
                                    + "DeviceTwinJob on "
                                    + flink.url()
                                    + (all ? "" : " (--all shows finished ones)"));
        }
        for (var overview : jobs) {
            String id = overview.jid();
            Map<String, String> options = TwinlogJobs.options(flink, id);
            JobHealth health =
                    lag(
                            options,
                            overview.state(),
                            flink.job(id),
                            flink.checkpoints(id),
                            flink.metrics(id, "numRestarts"));
            if (output.json()) {
                out.add(JobView.of(health, options));
            } else {
                terminal.out().print(health.describe(options));
            }
        }
        if (output.json()) {
            output.printJson(out);
        }
        return 0;
    }

    private JobHealth lag(
            Map<String, String> options,
            String state,
            FlinkResponses.JobDetails job,
            FlinkResponses.Checkpoints checkpoints,
            List<FlinkResponses.Metric> restarts) {
        String group = options.get(SourceOptions.GROUP_ID.key());
        String topic = options.get(SourceOptions.TOPIC_EVENTS.key());
        if (group == null || topic == null) {
            return JobHealth.of(job, checkpoints, restarts, null, "the job published no options");
        }
        if (!state.equals("RUNNING")) {
            return JobHealth.of(job, checkpoints, restarts, null, "the job is " + state);
        }
        try {
            return JobHealth.of(job, checkpoints, restarts, groupLag(group, topic), null);
        } catch (CliException e) {
            return JobHealth.of(job, checkpoints, restarts, null, e.getMessage());
        }
    }

    /** Per partition: last committed record's offset minus the group's offset (-1: none yet). */
    private SortedMap<Integer, Long> groupLag(String group, String topic) {
        KafkaAccess kafka = connection.kafka();
        try (Admin admin = kafka.admin()) {
            int partitions =
                    kafka.describeTopics(admin, List.of(topic)).get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            // the last stable offset: a consumer reading committed records can get no further
            var ends =
                    kafka.await(
                            admin.listOffsets(
                                            latest,
                                            new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                                    .all(),
                            "list offsets of " + topic);
            Map<TopicPartition, OffsetAndMetadata> committed =
                    kafka.await(
                            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
                            "list the offsets of group " + group);
            SortedMap<Integer, Long> lag = new TreeMap<>();
            Map<TopicPartition, Long> from = new java.util.HashMap<>();
            Map<TopicPartition, Long> to = new java.util.HashMap<>();
            for (var end : ends.entrySet()) {
                OffsetAndMetadata offset = committed.get(end.getKey());
                if (offset == null) {
                    lag.put(end.getKey().partition(), -1L);
                } else {
                    from.put(end.getKey(), offset.offset());
                    to.put(end.getKey(), end.getValue().offset());
                }
            }
            try (var consumer = kafka.committedReader()) {
                RecordLag.between(consumer, from, to)
                        .forEach((partition, behind) -> lag.put(partition.partition(), behind));
            }
            return lag;
        }
    }
}
