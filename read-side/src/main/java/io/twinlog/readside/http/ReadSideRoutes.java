package io.twinlog.readside.http;

import static io.twinlog.readside.api.ApiParam.path;
import static io.twinlog.readside.api.ApiParam.query;
import static io.twinlog.readside.api.ApiParam.queryInteger;

import io.javalin.http.sse.SseClient;
import io.twinlog.alerts.PublishedVersions;
import io.twinlog.readside.FleetCheck;
import io.twinlog.readside.ReadSide;
import io.twinlog.readside.ReadSideMetrics;
import io.twinlog.readside.api.Answers;
import io.twinlog.readside.api.ApiRoute;
import io.twinlog.readside.api.ApiRoute.Scope;
import io.twinlog.readside.api.AvroJson;
import io.twinlog.readside.api.Params;
import io.twinlog.readside.group.PartitionOwners;
import io.twinlog.readside.index.Position;
import io.twinlog.readside.query.HistoryEntry;
import io.twinlog.readside.query.HistoryQuery;
import io.twinlog.readside.query.Instants;
import io.twinlog.readside.query.Page;
import io.twinlog.readside.query.Replay;
import io.twinlog.readside.views.AlertPages;
import io.twinlog.readside.views.FleetFilter;
import io.twinlog.readside.views.PublishedTwin;
import io.twinlog.schema.alert.Alert;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Every route of the read side, declared once with its parameters, its answer and what it does: the
 * server registers these, and the OpenAPI document describes these.
 */
public final class ReadSideRoutes {

    /** Live streams each hold an open response; more clients than this are refused (503). */
    static final int MAX_STREAMS = 16;

    static final String JSON = "application/json";

    /**
     * The routes a read-side group answers on the instance that indexes the device's partition (the
     * others answer from views every instance keeps whole).
     */
    static final java.util.Set<String> ROUTED_BY_DEVICE =
            java.util.Set.of("/api/devices/{id}/history", "/api/devices/{id}/as-of");

    private final ReadSide readSide;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);

    /**
     * One fleet check at a time: each folds up to {@link FleetCheck#MAX_SAMPLE} devices, so any
     * reader could otherwise keep every core of the service busy with a few requests.
     */
    final Semaphore fleetChecks = new Semaphore(1);

    private final PeerRouting peers;

    ReadSideRoutes(ReadSide readSide) {
        this(readSide, null);
    }

    /**
     * @param peerTrust what to trust when asking another instance of the group (null: the JVM's)
     */
    ReadSideRoutes(ReadSide readSide, javax.net.ssl.SSLContext peerTrust) {
        this.readSide = readSide;
        this.peers = readSide == null ? null : new PeerRouting(readSide, peerTrust);
    }

    PeerRouting peers() {
        return peers;
    }

    List<ApiRoute> all() {
        return List.of(
                ApiRoute.answering(
                        "/health",
                        "health",
                        "UP while the index follows the log; DOWN (503) once it stopped, with why",
                        List.of(),
                        Answers.HealthAnswer.class,
                        JSON,
                        Scope.PUBLIC,
                        params -> health()),
                ApiRoute.answering(
                        "/ready",
                        "ready",
                        "whether the index has read the log to its end, with the lag per partition"
                                + " (503 until it has)",
                        List.of(),
                        Answers.ReadyAnswer.class,
                        JSON,
                        Scope.READ,
                        params -> ready()),
                ApiRoute.answering(
                        "/metrics",
                        "metrics",
                        "Prometheus metrics of the read side",
                        List.of(),
                        null,
                        ReadSideMetrics.contentType(),
                        Scope.READ,
                        params -> readSide.metrics().prometheus()),
                ApiRoute.answering(
                        "/api/info",
                        "info",
                        "the topics, the job's semantic options and the rules versions of the log",
                        List.of(),
                        Answers.InfoAnswer.class,
                        JSON,
                        Scope.READ,
                        params -> info()),
                ApiRoute.answering(
                        "/api/instances",
                        "instances",
                        "the read-side group: which instance indexes which partition of the event"
                                + " log, and whether this one answers for its own now",
                        List.of(),
                        Answers.InstancesAnswer.class,
                        JSON,
                        Scope.READ,
                        params -> instances()),
                ApiRoute.answering(
                        "/api/fleet",
                        "fleet",
                        "the fleet: counts per status and a page of devices",
                        List.of(
                                query(
                                        "status",
                                        "ACTIVE, UNREGISTERED, DECOMMISSIONED, OFFLINE or ALERTING"),
                                query("q", "text in the device id, model or a tag"),
                                query("cursor", "the next page's cursor of the previous answer"),
                                queryInteger("limit", "devices per page, 1 to 1000 (50)")),
                        Answers.FleetAnswer.class,
                        JSON,
                        Scope.READ,
                        this::fleet),
                ApiRoute.answering(
                        "/api/alerts",
                        "alerts",
                        "open episodes or the latest transitions, newest first, paged",
                        List.of(
                                query("state", "open (default) or recent"),
                                query("rule", "only this rule's"),
                                query("device", "only this device's"),
                                query("cursor", "the next page's cursor of the previous answer"),
                                queryInteger("limit", "alerts per page, 1 to 1000 (100)")),
                        Answers.AlertsAnswer.class,
                        JSON,
                        Scope.READ,
                        this::alerts),
                ApiRoute.streaming(
                        "/api/alerts/stream",
                        "alertStream",
                        "every alert transition the job commits from now on, as Server-Sent Events"
                                + " named alert",
                        Scope.READ,
                        this::stream),
                ApiRoute.answering(
                        "/api/devices/{id}",
                        "device",
                        "the twin the job published last, and the device's open episodes",
                        List.of(path("id", "the device id")),
                        Answers.DeviceAnswer.class,
                        JSON,
                        Scope.READ,
                        this::device),
                ApiRoute.answering(
                        "/api/devices/{id}/history",
                        "history",
                        "every record of the device's log with what it did, paged",
                        List.of(
                                path("id", "the device id"),
                                query("from", "first event time, ISO-8601"),
                                query("to", "last event time, ISO-8601"),
                                query("cursor", "the next page's cursor of the previous answer"),
                                queryInteger("limit", "entries per page, 1 to 1000 (100)")),
                        Answers.HistoryAnswer.class,
                        JSON,
                        Scope.READ,
                        this::history),
                ApiRoute.answering(
                        "/api/devices/{id}/as-of",
                        "asOf",
                        "the twin as it was at an event time or a position of the log, with the"
                                + " events that set each field",
                        List.of(
                                path("id", "the device id"),
                                query("time", "an event time, ISO-8601"),
                                query("position", "partition:offset of the device's partition")),
                        Answers.AsOfAnswer.class,
                        JSON,
                        Scope.READ,
                        this::asOf),
                ApiRoute.answering(
                        "/api/verify",
                        "verify",
                        "the published twins against the read side's fold of each device's log:"
                                + " match, behind, mismatch or split; at most "
                                + FleetCheck.MAX_SAMPLE
                                + " devices per request, spread over the fleet; one check at a"
                                + " time (429 while one runs)",
                        List.of(
                                queryInteger(
                                        "sample",
                                        "about this many devices (all, up to "
                                                + FleetCheck.MAX_SAMPLE
                                                + ")"),
                                queryInteger("max", "devices listed per verdict, 1 to 1000 (20)")),
                        Answers.VerifyAnswer.class,
                        JSON,
                        Scope.READ,
                        this::verify),
                ApiRoute.answering(
                        "/api/devices/{id}/alerts",
                        "deviceAlerts",
                        "the device's alert transitions in the order the job wrote them, paged",
                        List.of(
                                path("id", "the device id"),
                                query("cursor", "the next page's cursor of the previous answer"),
                                queryInteger("limit", "alerts per page, 1 to 1000 (100)")),
                        Answers.AlertsAnswer.class,
                        JSON,
                        Scope.READ,
                        this::deviceAlerts));
    }

    private Object health() {
        Throwable death = readSide.follower().death();
        return death == null
                ? new Answers.HealthAnswer("UP", null)
                : new ApiRoute.Status(
                        503,
                        new Answers.HealthAnswer(
                                "DOWN", "the index stopped following the log: " + death));
    }

    private Object ready() {
        boolean ready = !readSide.lagging();
        Map<String, Long> lag = new TreeMap<>();
        readSide.follower().lag().forEach((p, n) -> lag.put(p.topic() + "/" + p.partition(), n));
        Answers.ReadyAnswer answer =
                new Answers.ReadyAnswer(ready, readSide.follower().caughtUpOnce(), lag);
        return ready ? answer : new ApiRoute.Status(503, answer);
    }

    private Answers.InstancesAnswer instances() {
        PartitionOwners owners = readSide.owners();
        Map<Integer, Long> lag = new TreeMap<>();
        readSide.follower()
                .lag()
                .forEach(
                        (p, n) -> {
                            if (p.topic().equals(readSide.topics().events())) {
                                lag.put(p.partition(), n);
                            }
                        });
        List<Answers.PartitionOwnerView> partitions = new java.util.ArrayList<>();
        for (int partition : readSide.follower().eventPartitions()) {
            String owner = owners.grouped() ? owners.ownerOf(partition) : "this instance";
            boolean answering =
                    owners.grouped()
                            ? owners.self().equals(owner)
                                    && readSide.follower().behindTakeover(partition) == 0
                            : true;
            partitions.add(
                    new Answers.PartitionOwnerView(
                            partition, owner, answering, lag.get(partition)));
        }
        PartitionOwners.Claim claim = owners.claim();
        return new Answers.InstancesAnswer(
                owners.self(),
                claim == null ? 0 : claim.generation(),
                owners.settled(),
                partitions);
    }

    private Answers.InfoAnswer info() {
        PublishedVersions versions = readSide.rulesVersions();
        return new Answers.InfoAnswer(
                readSide.topics().events(),
                readSide.topics().twins(),
                readSide.topics().alerts(),
                readSide.config().job().get().semantics().values(),
                readSide.lagging(),
                Answers.indexed(readSide),
                Answers.rulesVersions(versions.common()),
                versions.differing());
    }

    private Answers.FleetAnswer fleet(Params params) {
        return Answers.fleet(
                readSide.fleet().counts(),
                readSide.fleet()
                        .page(
                                FleetFilter.parse(params.text("status")),
                                params.text("q"),
                                params.text("cursor"),
                                limit(params, 50)),
                readSide);
    }

    private Answers.AlertsAnswer alerts(Params params) {
        String state = params.text("state") == null ? "open" : params.text("state");
        String rule = params.text("rule");
        String device = params.text("device");
        List<Alert> alerts =
                switch (state) {
                    case "open" -> readSide.alertBoard().open(rule);
                    case "recent" -> readSide.alertBoard().recent(rule, Integer.MAX_VALUE);
                    default ->
                            throw new IllegalArgumentException(
                                    "state must be open or recent, not '" + state + "'");
                };
        if (device != null) {
            alerts =
                    alerts.stream().filter(a -> a.getDeviceId().toString().equals(device)).toList();
        }
        Page<Alert> page = AlertPages.page(alerts, params.text("cursor"), limit(params, 100));
        return Answers.alerts(page, alerts.size(), readSide);
    }

    /**
     * Takes one of the live streams' places before a stream is opened: once its answer has begun it
     * can no longer say 503.
     */
    void admitStream() {
        if (!streams.tryAcquire()) {
            throw new ReadSideAccess.Refused(
                    503, "too many live streams open (" + MAX_STREAMS + ")", Map.of());
        }
    }

    /** A live stream that {@link #admitStream} admitted. */
    private void stream(SseClient client) {
        Consumer<Alert> listener =
                alert -> {
                    try {
                        client.sendEvent(
                                "alert", Answers.MAPPER.writeValueAsString(AvroJson.of(alert)));
                    } catch (RuntimeException | java.io.IOException e) {
                        client.close();
                    }
                };
        client.onClose(
                () -> {
                    readSide.alertBoard().unsubscribe(listener);
                    streams.release();
                });
        client.sendComment("connected");
        readSide.alertBoard().subscribe(listener);
        client.keepAlive();
    }

    private Answers.DeviceAnswer device(Params params) {
        String device = params.text("id");
        PublishedTwin twin = readSide.twin(device);
        if (twin == null) {
            readSide.requireKnown(device);
        }
        return Answers.device(device, twin, readSide.alertBoard().openOf(device), readSide);
    }

    private Answers.HistoryAnswer history(Params params) {
        String device = params.text("id");
        String cursor = params.text("cursor");
        HistoryQuery request =
                new HistoryQuery(
                        time(params.text("from")),
                        time(params.text("to")),
                        cursor == null ? null : Position.parse(cursor),
                        limit(params, 100));
        Page<HistoryEntry> page = readSide.history(device, request);
        Long total = request.ranged() ? null : readSide.recordCount(device);
        return Answers.history(device, page.items(), total, page.next(), readSide);
    }

    private Object asOf(Params params) {
        String device = params.text("id");
        String time = params.text("time");
        String position = params.text("position");
        if ((time == null) == (position == null)) {
            throw new IllegalArgumentException(
                    "give exactly one of time=<ISO-8601> or position=<partition:offset>");
        }
        Position at = time != null ? null : readSide.positionOf(device, position);
        Replay replay =
                at == null
                        ? readSide.asOf(device, Instants.parse(time))
                        : readSide.asOf(device, at);
        if (replay.twin() == null) {
            return new ApiRoute.Status(
                    404,
                    Answers.error(
                            404,
                            "device "
                                    + device
                                    + " had no state yet at "
                                    + (time != null ? time : position),
                            readSide));
        }
        return Answers.asOf(
                device,
                time != null ? time : position,
                replay,
                readSide.gapsAsOf(device, at),
                readSide);
    }

    private Answers.VerifyAnswer verify(Params params) throws java.io.IOException {
        int sample = params.integer("sample", 0, 0, FleetCheck.MAX_SAMPLE);
        int max = params.integer("max", 20, 1, HistoryQuery.MAX_LIMIT);
        if (!fleetChecks.tryAcquire()) {
            throw new ReadSideAccess.Refused(
                    429,
                    "a fleet check is running (one at a time); retry when it is done",
                    Map.of("Retry-After", "10"));
        }
        try {
            FleetCheck check = FleetCheck.run(readSide, sample, max);
            Answers.VerifyAnswer local = Answers.verify(check, readSide);
            boolean lagging = local.lagging();
            Map<Integer, Long> indexed = new TreeMap<>(local.indexedThrough());
            // In a group each instance checks the devices of its own partitions: ask the others.
            for (Map.Entry<String, PeerRouting.Answer> peer :
                    peers.askEachOther(params.request(io.javalin.http.Context.class)).entrySet()) {
                PeerRouting.Answer answer = peer.getValue();
                if (answer == null || answer.status() != 200) {
                    throw new ReadSideAccess.Refused(
                            503,
                            "the instance "
                                    + peer.getKey()
                                    + " did not check the devices of its partitions ("
                                    + (answer == null ? "no answer" : "status " + answer.status())
                                    + "); retry",
                            Map.of("Retry-After", "10"));
                }
                Answers.VerifyAnswer theirs =
                        Answers.MAPPER.readValue(answer.body(), Answers.VerifyAnswer.class);
                check =
                        check.with(
                                new FleetCheck(
                                        theirs.devices(),
                                        Map.copyOf(theirs.verdicts()),
                                        theirs.mismatches(),
                                        theirs.split(),
                                        theirs.notChecked()),
                                max);
                lagging |= theirs.lagging();
                indexed.putAll(theirs.indexedThrough());
            }
            Answers.VerifyAnswer merged = Answers.verify(check, readSide);
            return new Answers.VerifyAnswer(
                    lagging,
                    indexed,
                    merged.devices(),
                    merged.checked(),
                    merged.verdicts(),
                    merged.mismatches(),
                    merged.split(),
                    merged.notChecked());
        } finally {
            fleetChecks.release();
        }
    }

    private Answers.AlertsAnswer deviceAlerts(Params params) {
        String device = params.text("id");
        if (readSide.twin(device) == null) {
            readSide.requireKnown(device);
        }
        List<Alert> alerts = readSide.alerts(device);
        Page<Alert> page = AlertPages.page(alerts, params.text("cursor"), limit(params, 100));
        return Answers.alerts(page, alerts.size(), readSide);
    }

    private static int limit(Params params, int fallback) {
        return params.integer("limit", fallback, 1, HistoryQuery.MAX_LIMIT);
    }

    private static Instant time(String text) {
        return text == null ? null : Instants.parse(text);
    }
}
