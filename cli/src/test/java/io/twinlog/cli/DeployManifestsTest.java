package io.twinlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.twinlog.cli.commands.ServeCommand;
import io.twinlog.cli.kafka.AccessLayout;
import io.twinlog.cli.kafka.AccessLayout.Role;
import io.twinlog.cli.kafka.ClientConfig;
import io.twinlog.cli.kafka.TopicLayout;
import io.twinlog.config.Secrets;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.OutputSizes;
import io.twinlog.schema.TopicNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.Test;

/**
 * deploy/ cannot run here (no Kubernetes), so this checks what can drift: the FlinkDeployment's
 * arguments are options the job accepts, with its Kafka and registry secrets by reference; its
 * topics, group and transactional ids are those the Strimzi resources create and allow; each
 * KafkaUser's ACLs are exactly what {@code twinlog acls create} grants its role; each KafkaTopic
 * has the configs {@code twinlog topics create} sets; and the rules ConfigMap is the repo's rules.
 */
public class DeployManifestsTest {

    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static List<JsonNode> documents(String file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(DEPLOY.resolve(file).toFile())) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
        }
        return documents;
    }

    private static JsonNode deployment() throws IOException {
        List<JsonNode> documents = documents("flink/device-twin-job.yaml");
        assertThat(documents).hasSize(1);
        assertThat(documents.get(0).path("kind").asText()).isEqualTo("FlinkDeployment");
        return documents.get(0);
    }

    private static List<String> args() throws IOException {
        List<String> args = new ArrayList<>();
        deployment().at("/spec/job/args").forEach(a -> args.add(a.asText()));
        return args;
    }

    @Test
    void theJobsArgumentsAreOptionsItAcceptsWithSecretsByReference() throws Exception {
        List<String> args = new ArrayList<>(args());
        // the rules file is mounted from the ConfigMap on the cluster; here, the repo's copy
        int rules = args.indexOf("--rules.file");
        assertThat(rules).isNotNegative();
        args.set(rules + 1, Path.of("..", "scripts", "conf", "alert-rules.json").toString());

        DeviceTwinJobOptions options = DeviceTwinJobOptions.parse(args.toArray(String[]::new));

        assertThat(options.kafkaProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry(
                        "sasl.jaas.config", "${directory:/etc/twinlog/kafka:sasl.jaas.config}")
                .containsKey("config.providers");
        assertThat(options.registryAuth().userInfo())
                .isEqualTo("${env:TWINLOG_REGISTRY_USER_INFO}");
        assertThat(options.topics()).isEqualTo(TopicNames.defaults());
        assertThat(options.exactlyOnce()).isTrue();
    }

    @Test
    void theDeploymentIsUpgradedThroughSavepointsWithHaRocksDbOnLocalDiskAndMetrics()
            throws Exception {
        JsonNode spec = deployment().path("spec");
        JsonNode conf = spec.path("flinkConfiguration");
        assertThat(spec.at("/job/upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(spec.at("/job/entryClass").asText()).isEqualTo("io.twinlog.jobs.DeviceTwinJob");
        assertThat(spec.path("flinkVersion").asText()).isEqualTo("v2_2");
        assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(conf.path("high-availability.storageDir").asText()).startsWith("s3://");
        assertThat(conf.path("execution.checkpointing.dir").asText()).startsWith("s3://");
        assertThat(conf.path("execution.checkpointing.savepoint-dir").asText()).startsWith("s3://");
        assertThat(conf.path("state.backend.type").asText()).isEqualTo("rocksdb");
        assertThat(conf.path("classloader.parent-first-patterns.additional").asText())
                .isEqualTo("org.apache.avro.");
        assertThat(conf.path("metrics.reporter.prom.factory.class").asText())
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        // RocksDB's directory is a volume on the pod's own disk
        String localDir = conf.path("state.backend.rocksdb.localdir").asText();
        JsonNode pod = spec.at("/podTemplate/spec");
        String volume = null;
        for (JsonNode mount : pod.at("/containers/0/volumeMounts")) {
            if (mount.path("mountPath").asText().equals(localDir)) {
                volume = mount.path("name").asText();
            }
        }
        assertThat(volume).as("a volume mounted at " + localDir).isNotNull();
        for (JsonNode v : pod.path("volumes")) {
            if (v.path("name").asText().equals(volume)) {
                assertThat(v.has("emptyDir")).isTrue();
            }
        }
        // the secrets the arguments reference come from Kubernetes Secrets
        assertThat(pod.toString())
                .contains("\"secretName\":\"twinlog-job\"")
                .contains("\"name\":\"TWINLOG_REGISTRY_USER_INFO\"");
    }

    @Test
    void theTopicsHaveTheLayoutOfTopicsCreate() throws Exception {
        Map<String, JsonNode> topics = new HashMap<>();
        for (JsonNode topic : documents("strimzi/topics.yaml")) {
            assertThat(topic.path("kind").asText()).isEqualTo("KafkaTopic");
            topics.put(topic.at("/metadata/name").asText(), topic.path("spec"));
        }
        List<TopicLayout> layout =
                TopicLayout.of(TopicNames.defaults(), 12, OutputSizes.DEFAULT_MAX_RECORD_BYTES);
        assertThat(topics.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        layout.stream().map(TopicLayout::name).toList());
        for (TopicLayout expected : layout) {
            JsonNode spec = topics.get(expected.name());
            assertThat(spec.path("partitions").asInt()).isEqualTo(expected.partitions());
            Map<String, String> configs = new HashMap<>();
            spec.path("config")
                    .fields()
                    .forEachRemaining(e -> configs.put(e.getKey(), e.getValue().asText()));
            assertThat(configs).as(expected.name()).containsAllEntriesOf(expected.configs());
            configs.keySet().removeAll(expected.configs().keySet());
            assertThat(configs)
                    .as("configs beyond topics create")
                    .containsOnlyKeys("min.insync.replicas");
        }
    }

    @Test
    void eachUsersAclsAreWhatAclsCreateGrantsItsRole() throws Exception {
        AccessLayout layout =
                new AccessLayout(
                        TopicNames.defaults(),
                        argument("--group.id"),
                        argument("--transactional.id.prefix"),
                        "alerts-");
        Map<String, Role> roles =
                Map.of(
                        "twinlog-job", Role.JOB,
                        "device-gateway", Role.GATEWAY,
                        "alerts-consumer", Role.ALERTS_CONSUMER,
                        "read-side", Role.READ_SIDE);
        List<JsonNode> users = documents("strimzi/users.yaml");
        assertThat(users).hasSize(roles.size());
        for (JsonNode user : users) {
            String name = user.at("/metadata/name").asText();
            assertThat(user.at("/spec/authentication/type").asText()).isEqualTo("scram-sha-512");
            Set<String> granted = new HashSet<>();
            for (JsonNode acl : user.at("/spec/authorization/acls")) {
                JsonNode resource = acl.path("resource");
                for (JsonNode operation : acl.path("operations")) {
                    granted.add(
                            resource.path("type").asText().toLowerCase(Locale.ROOT)
                                    + " "
                                    + resource.path("name").asText("kafka-cluster")
                                    + ("prefix".equals(resource.path("patternType").asText())
                                            ? "*"
                                            : "")
                                    + " "
                                    + operation.asText().toLowerCase(Locale.ROOT));
                }
            }
            Set<String> expected = new HashSet<>();
            for (AclBinding acl : layout.bindings(roles.get(name), "User:" + name)) {
                expected.add(
                        acl.pattern()
                                        .resourceType()
                                        .name()
                                        .toLowerCase(Locale.ROOT)
                                        .replace("_", "")
                                + " "
                                + acl.pattern().name()
                                + (acl.pattern().patternType().name().equals("PREFIXED") ? "*" : "")
                                + " "
                                + acl.entry()
                                        .operation()
                                        .name()
                                        .toLowerCase(Locale.ROOT)
                                        .replace("_", ""));
            }
            assertThat(granted).as("ACLs of " + name).isEqualTo(expected);
        }
    }

    @Test
    void theRulesConfigMapHoldsTheReposRules() throws Exception {
        JsonNode map = documents("flink/alert-rules.yaml").get(0);
        assertThat(YAML.readTree(new TextNode(map.at("/data/alert-rules.json").asText()).asText()))
                .isEqualTo(
                        new ObjectMapper()
                                .readTree(
                                        Files.readString(
                                                Path.of(
                                                        "..",
                                                        "scripts",
                                                        "conf",
                                                        "alert-rules.json"))));
        assertThat(args()).contains("/etc/twinlog/rules/alert-rules.json");
    }

    @Test
    void onlyJarsOfTheImagesOptFolderAreEnabledAsPlugins() throws Exception {
        String plugins = null;
        for (JsonNode env : deployment().at("/spec/podTemplate/spec/containers/0/env")) {
            if (env.path("name").asText().equals("ENABLE_BUILT_IN_PLUGINS")) {
                plugins = env.path("value").asText();
            }
        }
        // Flink's distribution ships its metrics reporters in plugins/ (flink-dist's plugins.xml),
        // and the image's entry point links only jars of opt/: naming a reporter here fails.
        assertThat(plugins).isNotNull();
        assertThat(List.of(plugins.split(";")))
                .containsExactly("flink-s3-fs-presto-2.2.0.jar")
                .noneMatch(jar -> jar.startsWith("flink-metrics-"));
    }

    @Test
    void theReadSideRunsSecuredAsItsKafkaUserWithEverySecretByReference() throws Exception {
        List<JsonNode> documents = documents("read-side/read-side.yaml");
        Map<String, JsonNode> byKind = new HashMap<>();
        Map<String, JsonNode> services = new HashMap<>();
        documents.forEach(d -> byKind.put(d.path("kind").asText(), d));
        documents.stream()
                .filter(d -> d.path("kind").asText().equals("Service"))
                .forEach(d -> services.put(d.at("/metadata/name").asText(), d));
        assertThat(byKind.keySet())
                .containsExactlyInAnyOrder("ConfigMap", "StatefulSet", "Service", "NetworkPolicy");
        byKind.put("Service", services.get("twinlog-read-side"));

        JsonNode pod = byKind.get("StatefulSet").at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        picocli.CommandLine.ParseResult parsed =
                TwinlogCli.commandLine().parseArgs(args.toArray(String[]::new));
        ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(serve.access.secure).isTrue();
        assertThat(serve.access.passwordFile).isNotNull();
        assertThat(serve.access.keystore).isNotNull();
        assertThat(Secrets.isReference(serve.access.keystorePassword)).isTrue();
        assertThat(serve.connection.commandConfig).isNotNull();

        // the replicas share the log in a group its KafkaUser may join, each reached by its name
        JsonNode statefulSet = byKind.get("StatefulSet");
        assertThat(statefulSet.at("/spec/replicas").asInt()).isGreaterThan(1);
        assertThat(serve.group).startsWith(AccessLayout.READ_SIDE_GROUPS);
        String peers = statefulSet.at("/spec/serviceName").asText();
        assertThat(services.get(peers).at("/spec/clusterIP").asText()).isEqualTo("None");
        assertThat(serve.advertisedUrl)
                .isEqualTo("https://$(POD_NAME)." + peers + ":" + serve.port);
        assertThat(serve.access.allowedHosts).contains("$(POD_NAME)." + peers);

        // every file the arguments and the client settings name is on a mounted volume
        Map<String, String> mounts = new HashMap<>();
        container
                .path("volumeMounts")
                .forEach(m -> mounts.put(m.path("mountPath").asText(), m.path("name").asText()));
        Set<String> volumes = new HashSet<>();
        pod.path("volumes").forEach(v -> volumes.add(v.path("name").asText()));
        byKind.get("StatefulSet")
                .at("/spec/volumeClaimTemplates")
                .forEach(v -> volumes.add(v.at("/metadata/name").asText()));
        assertThat(volumes).containsAll(mounts.values());
        String client = byKind.get("ConfigMap").at("/data/client.properties").asText();
        List<String> files = new ArrayList<>();
        files.add(serve.access.passwordFile.toString());
        files.add(serve.access.keystore.toString());
        files.add(serve.connection.commandConfig.toString());
        files.add(serve.job.rules.toString());
        java.util.Properties properties = new java.util.Properties();
        properties.load(new java.io.StringReader(client));
        files.add(properties.getProperty("ssl.truststore.location"));
        files.add(properties.getProperty("schema.registry.ssl.truststore.location"));
        for (String file : files) {
            assertThat(mounts.keySet())
                    .as(file + " is on a mounted volume")
                    .anyMatch(mount -> file.startsWith(mount + "/"));
        }

        // Kafka as the KafkaUser read-side, whose ACLs the users test checks; no literal secret
        assertThat(pod.toString()).contains("\"secretName\":\"read-side\"");
        assertThat(properties.getProperty("sasl.jaas.config"))
                .isEqualTo("${directory:/etc/twinlog/kafka:sasl.jaas.config}");
        assertThat(properties.getProperty("schema.registry.basic.auth.user.info"))
                .isEqualTo("${env:TWINLOG_REGISTRY_USER_INFO}");
        assertThat(ClientConfig.read(writeTemp(client)).kafka())
                .containsEntry("security.protocol", "SASL_SSL");

        // the Service and the NetworkPolicy reach the container's port, and nothing else
        assertThat(byKind.get("Service").at("/spec/ports/0/targetPort").asText())
                .isEqualTo(container.at("/ports/0/name").asText());
        assertThat(byKind.get("NetworkPolicy").at("/spec/ingress/0/ports/0/port").asInt())
                .isEqualTo(container.at("/ports/0/containerPort").asInt())
                .isEqualTo(serve.port);
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health");
    }

    private static Path writeTemp(String text) throws IOException {
        Path file = Files.createTempFile("client", ".properties");
        file.toFile().deleteOnExit();
        Files.writeString(file, text);
        return file;
    }

    private static String argument(String option) throws IOException {
        List<String> args = args();
        return args.get(args.indexOf(option) + 1);
    }
}
