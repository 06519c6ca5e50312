package io.twinlog.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml cannot run here (no Docker engine), so this checks what can be checked: it
 * parses, it has the services the README promises, its ports are the local stack's, its images
 * match the versions the build uses, and it points at the artifacts the build produces.
 */
class DockerComposeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonNode compose = YAML.readTree(ROOT.resolve("docker/compose.yaml").toFile());

    DockerComposeTest() throws IOException {}

    @Test
    void hasTheServicesOfTheStack() {
        List<String> services = new ArrayList<>();
        compose.path("services").fieldNames().forEachRemaining(services::add);
        assertThat(services)
                .containsExactlyInAnyOrder(
                        "kafka", "schema-registry", "jobmanager", "taskmanager", "submit");
        assertThat(compose.path("volumes").has("flink-state")).isTrue();
    }

    @Test
    void exposesTheLocalStacksPorts() throws IOException {
        String common = Files.readString(ROOT.resolve("scripts/lib/common.sh"));
        assertThat(ports("kafka"))
                .contains("127.0.0.1:" + defaultPort(common, "TWINLOG_KAFKA_PORT") + ":9092");
        assertThat(ports("schema-registry"))
                .contains("127.0.0.1:" + defaultPort(common, "TWINLOG_REGISTRY_PORT") + ":8081");
        assertThat(ports("jobmanager"))
                .contains("127.0.0.1:" + defaultPort(common, "TWINLOG_FLINK_PORT") + ":8081");
    }

    /** Flink's REST API runs uploaded jars; nothing is published beyond this machine by default. */
    @Test
    void publishesOnLoopbackOnly() {
        compose.at("/services")
                .fields()
                .forEachRemaining(
                        service ->
                                service.getValue()
                                        .path("ports")
                                        .forEach(
                                                port ->
                                                        assertThat(port.asText())
                                                                .as(service.getKey())
                                                                .startsWith("127.0.0.1:")));
    }

    @Test
    void usesTheVersionsOfTheBuild() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        String flink = tag(pom, "flink.version");
        assertThat(image("jobmanager")).isEqualTo("flink:" + flink + "-scala_2.12-java17");
        assertThat(image("taskmanager")).isEqualTo(image("jobmanager"));
        assertThat(image("kafka")).isEqualTo("apache/kafka:" + tag(pom, "kafka.version"));
        assertThat(image("schema-registry")).startsWith("confluentinc/cp-schema-registry:");
        assertThat(compose.at("/services/jobmanager/environment/ENABLE_BUILT_IN_PLUGINS").asText())
                .isEqualTo("flink-metrics-prometheus-" + flink + ".jar");
    }

    @Test
    void checkpointsAndSavepointsLiveOnTheSharedVolume() {
        for (String service : List.of("jobmanager", "taskmanager")) {
            String properties =
                    compose.at("/services/" + service + "/environment/FLINK_PROPERTIES").asText();
            assertThat(properties)
                    .contains("execution.checkpointing.dir: file:///flink-state/checkpoints")
                    .contains(
                            "execution.checkpointing.savepoint-dir: file:///flink-state/savepoints");
            assertThat(compose.at("/services/" + service + "/volumes").toString())
                    .contains("flink-state:/flink-state");
        }
    }

    /**
     * The configuration loads Avro parent-first, so Flink's lib/ must hold it (and what it needs):
     * the local stack's lib, which the build fills, is copied there.
     */
    @Test
    void avroIsInFlinksLibAsTheConfigurationExpects() throws IOException {
        JsonNode config = YAML.readTree(ROOT.resolve("flink-conf/config.yaml").toFile());
        assertThat(config.toString()).contains("org.apache.avro.");
        for (String service : List.of("jobmanager", "taskmanager")) {
            assertThat(compose.at("/services/" + service + "/command").toString())
                    .contains("cp /twinlog/local-stack/flink/target/lib/avro-*.jar")
                    .contains("/twinlog/local-stack/flink/target/lib/jackson-*.jar")
                    .contains("/opt/flink/lib/ && exec /docker-entrypoint.sh " + service);
        }
    }

    @Test
    void submitsTheArtifactsTheBuildProduces() throws IOException {
        String command = compose.at("/services/submit/command").toString();
        String version = tag(Files.readString(ROOT.resolve("pom.xml")), "version");
        assertThat(command)
                .contains("/twinlog/cli/target/twinlog-cli.jar")
                .contains(
                        "/twinlog/pipeline-jobs/target/twinlog-pipeline-jobs-"
                                + version
                                + "-job.jar")
                .contains("/twinlog/scripts/conf/alert-rules.json");
        assertThat(Files.exists(ROOT.resolve("scripts/conf/alert-rules.json"))).isTrue();
    }

    @Test
    void theFlinkConfigurationParses() throws IOException {
        JsonNode config = YAML.readTree(ROOT.resolve("flink-conf/config.yaml").toFile());
        assertThat(config.at("/state/backend/type").asText()).isEqualTo("rocksdb");
        assertThat(config.at("/execution/checkpointing/incremental").asBoolean()).isTrue();
        assertThat(config.at("/metrics/reporter/prom/factory/class").asText())
                .contains("PrometheusReporterFactory");
    }

    private List<String> ports(String service) {
        List<String> ports = new ArrayList<>();
        compose.at("/services/" + service + "/ports").forEach(p -> ports.add(p.asText()));
        return ports;
    }

    private String image(String service) {
        return compose.at("/services/" + service + "/image").asText();
    }

    private static String defaultPort(String script, String variable) {
        Matcher matcher =
                Pattern.compile(variable + "=\\$\\{" + variable + ":-(\\d+)}").matcher(script);
        assertThat(matcher.find()).as(variable + " in common.sh").isTrue();
        return matcher.group(1);
    }

    private static String tag(String pom, String name) {
        Matcher matcher =
                Pattern.compile(
                                "<"
                                        + Pattern.quote(name)
                                        + ">([^<]+)</"
                                        + Pattern.quote(name)
                                        + ">")
                        .matcher(pom);
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }
}
