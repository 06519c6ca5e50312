package io.twinlog.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinlog.bench.compare.ThreadCpu;
import io.twinlog.bench.e2e.LocalStack;
import io.twinlog.bench.e2e.Preload;
import io.twinlog.bench.e2e.Topics;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.readside.ReadSide;
import io.twinlog.readside.ReadSideConfig;
import io.twinlog.readside.group.GroupConfig;
import io.twinlog.readside.http.ReadSideServer;
import io.twinlog.readside.index.Position;
import io.twinlog.schema.TopicNames;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The read side's numbers on one preloaded log: index build rate (in this process, from an empty
 * index), the service's memory once it has followed the whole log, and request latencies of the
 * service the stack runs: history pages and as-of of one long device (from its snapshots, after a
 * first fold of it, timed too, has kept them), and twin lookups at a fixed rate (open loop: latency
 * counts from when the request was due, so a slow answer delays no later measurement).
 */
@Command(
        name = "read-side",
        mixinStandardHelpOptions = true,
        description =
                "Index build rate, query latencies and memory of the read side (scripts/bench read-side)")
final class ReadSideBenchCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HISTORY_DEVICE_PREFIX = "hist-";

    @Mixin DocsOptions docs;

    @Option(
            names = "--events",
            defaultValue = "1000000",
            description = "events in the log (default: ${DEFAULT-VALUE})")
    long events;

    @Option(
            names = "--devices",
            defaultValue = "100000",
            description = "devices (default: ${DEFAULT-VALUE})")
    int devices;

    @Option(
            names = "--history-events",
            defaultValue = "1000",
            description = "events of the device whose history is timed (default: ${DEFAULT-VALUE})")
    int historyEvents;

    @Option(
            names = "--samples",
            defaultValue = "300",
            description = "history and as-of requests timed (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(
            names = "--lookups-per-second",
            defaultValue = "1000",
            description = "twin lookup rate (default: ${DEFAULT-VALUE})")
    int lookupRate;

    @Option(
            names = "--lookup-seconds",
            defaultValue = "20",
            description = "how long the lookups run (default: ${DEFAULT-VALUE})")
    int lookupSeconds;

    @Option(
            names = "--group-instances",
            defaultValue = "0",
            description =
                    "also build the index with this many instances of one read-side group in this"
                            + " process, and time history requests through each (default: none)")
    int groupInstances;

    private final HttpClient http =
            HttpClient.newBuilder()
                    .executor(java.util.concurrent.Executors.newFixedThreadPool(8))
                    .build();

    @Override
    public Integer call() throws Exception {
        LocalStack stack = LocalStack.fromEnvironment();
        TopicNames topics = TopicNames.defaults();
        stack.script(Duration.ofMinutes(2), "twinlog", "topics", "create");
        Preload.Result preload = Preload.fill(stack, topics.events(), events, devices, 1);
        Preload.fill(stack, topics.events(), historyEvents, 1, 2, HISTORY_DEVICE_PREFIX);
        System.out.printf(
                "preloaded %,d events over %,d devices (%,.0f events/s), and %,d of one device%n",
                events, devices, preload.eventsPerSecond(), historyEvents);
        stack.script(
                Duration.ofMinutes(3), "twinlog", "submit", "--", "--checkpoint.interval", "2s");
        try (Topics admin = new Topics(stack)) {
            var ends = admin.endOffsets(topics.events());
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (admin.committed("twinlog-device-twin", ends) < total) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the job did not fold the log in 30 minutes");
                }
                Thread.sleep(2_000);
            }
            System.out.println("the job folded the log");
        }

        ObjectNode results = JSON.createObjectNode();
        results.put("events", events + historyEvents);
        results.put("devices", devices + 1);
        indexBuild(stack, results);
        if (groupInstances > 0) {
            groupBuild(stack, results);
        }

        String service =
                System.getenv().getOrDefault("TWINLOG_READ_SIDE_URL", "http://localhost:8090");
        awaitReady(service);
        memory(stack, results);
        String device = HISTORY_DEVICE_PREFIX + "00001";
        String path = service + "/api/devices/" + device;
        JsonNode history = get(path + "/history?limit=1000");
        if (history.path("total").asLong() != historyEvents) {
            throw new IllegalStateException(
                    device + " has " + history.path("total") + " records, not " + historyEvents);
        }
        Instant first = Instant.parse(history.path("entries").get(0).path("eventTime").asText());
        // The service folds a long device in the background (keeping its snapshots) once it has
        // caught up; the timed answers start from the snapshot before the point they ask for.
        long snapshotsBegan = System.nanoTime();
        long deadline = snapshotsBegan + TimeUnit.MINUTES.toNanos(30);
        while (serviceMetric(service, "twinlog_readside_snapshots_waiting") > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the service kept no snapshots in 30 minutes");
            }
            Thread.sleep(500);
        }
        results.put("snapshotsWaitSeconds", (System.nanoTime() - snapshotsBegan) / 1e9);
        results.put(
                "snapshotsKept", serviceMetric(service, "twinlog_readside_snapshots_kept_total"));
        JsonNode end = get(path + "/as-of?time=9999-12-31T00:00:00Z");
        Instant last = Instant.parse(end.path("twin").path("lastSeen").asText());
        Position lastPosition = Position.parse(end.path("position").asText());
        results.put("historyDeviceRecords", end.path("recordsFolded").asLong());
        Random random = new Random(3);
        results.set(
                "history",
                timed(
                        samples,
                        i ->
                                path
                                        + "/history?limit=1000&cursor="
                                        + lastPosition.partition()
                                        + ":"
                                        + (long) (random.nextDouble() * lastPosition.offset())));
        results.set(
                "history100",
                timed(
                        samples,
                        i ->
                                path
                                        + "/history?limit=100&cursor="
                                        + lastPosition.partition()
                                        + ":"
                                        + (long) (random.nextDouble() * lastPosition.offset())));
        results.set(
                "asOf",
                timed(
                        samples,
                        i ->
                                path
                                        + "/as-of?time="
                                        + first.plusMillis(
                                                (long)
                                                        (random.nextDouble()
                                                                * (last.toEpochMilli()
                                                                        - first.toEpochMilli())))));
        results.set("twinLookups", lookups(stack, service));
        String small =
                get(service + "/api/fleet?limit=1")
                        .path("devices")
                        .get(0)
                        .path("deviceId")
                        .asText();
        results.set(
                "cliAsOf",
                cliCalls(
                        stack,
                        i ->
                                new String[] {
                                    "twinlog",
                                    "as-of",
                                    device,
                                    first.plusMillis(
                                                    (long)
                                                            (random.nextDouble()
                                                                    * (last.toEpochMilli()
                                                                            - first
                                                                                    .toEpochMilli())))
                                            .toString()
                                }));
        results.set("cliHistory", cliCalls(stack, i -> new String[] {"twinlog", "history", small}));

        Path file = docs.docs().resolve("benchmarks").resolve("read-side.json");
        Files.createDirectories(file.getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), results);
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        return 0;
    }

    private void indexBuild(LocalStack stack, ObjectNode results) throws Exception {
        Path dir = stack.work().resolve("read-side").resolve("bench-index");
        deleteRecursively(dir);
        DeviceTwinJobOptions options =
                DeviceTwinJobOptions.parse("--rules.file", stack.rulesFile().toString());
        var os =
                (com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long pid = ProcessHandle.current().pid();
        var threadsBefore = ThreadCpu.snapshot(pid);
        long began = System.nanoTime();
        try (ReadSide side = ReadSide.open(indexConfig(stack, options, dir))) {
            var threadsAfter =
                    new java.util.concurrent.atomic.AtomicReference<Map<Long, ThreadCpu.Thread>>();
            Thread catchUp =
                    new Thread(
                            () -> {
                                side.catchUp(Duration.ofMinutes(30));
                                // Before this thread ends, or its CPU time is lost.
                                threadsAfter.set(ThreadCpu.snapshot(pid));
                            },
                            "read-side-catch-up");
            catchUp.start();
            catchUp.join();
            if (threadsAfter.get() == null) {
                throw new IllegalStateException("catching up failed (its stack trace is above)");
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            ObjectNode byThread = results.putObject("indexBuildCpuMicrosPerEventByThreads");
            ThreadCpu.secondsByGroup(threadsBefore, threadsAfter.get())
                    .forEach(
                            (group, cpuSeconds) ->
                                    byThread.put(
                                            group, cpuSeconds * 1e6 / (events + historyEvents)));
            double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
            long indexed = events + historyEvents;
            long records;
            try (Topics admin = new Topics(stack)) {
                TopicNames topics = TopicNames.defaults();
                records =
                        admin.size(topics.events())
                                + admin.size(topics.twins())
                                + admin.size(topics.alerts());
            }
            ObjectNode build = results.putObject("indexBuild");
            build.put("recordsAllTopics", records);
            build.put("recordsPerSecond", records / seconds);
            build.put("seconds", seconds);
            build.put("eventsPerSecond", indexed / seconds);
            build.put("cpuMicrosPerEvent", cpu * 1e6 / indexed);
            build.put("twins", side.fleet().size());
            build.put(
                    "diskBytes",
                    side.metrics()
                            .prometheus()
                            .lines()
                            .filter(l -> l.startsWith("twinlog_readside_index_disk_bytes "))
                            .mapToLong(
                                    l ->
                                            (long)
                                                    Double.parseDouble(
                                                            l.substring(l.indexOf(' ') + 1).trim()))
                            .findFirst()
                            .orElse(-1));
            System.out.printf(
                    "index build: %,.0f events/s, %,.0f records/s of the three topics (%.1f s, %.1f µs CPU per event)%n",
                    indexed / seconds, records / seconds, seconds, cpu * 1e6 / indexed);
        }
    }

    /**
     * Several instances of one group, side by side on this machine: how long until each has indexed
     * its partitions, the CPU per event over all of them, and closed-loop history requests through
     * each (a share of them sent on to the owner).
     */
    /** A read side of the bench stack's log with its index in {@code dir}. */
    private static ReadSideConfig indexConfig(
            LocalStack stack, DeviceTwinJobOptions options, Path dir) {
        return new ReadSideConfig(
                () -> options,
                stack.bootstrapServers(),
                stack.registryUrl(),
                Duration.ofSeconds(30),
                dir,
                ReadSideConfig.DEFAULT_MAX_DEVICE_RECORDS);
    }

    private void groupBuild(LocalStack stack, ObjectNode results) throws Exception {
        DeviceTwinJobOptions options =
                DeviceTwinJobOptions.parse("--rules.file", stack.rulesFile().toString());
        var os =
                (com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean();
        String groupId = "twinlog-read-side-bench-" + System.currentTimeMillis();
        List<ReadSide> sides = new ArrayList<>();
        List<ReadSideServer> servers = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        long cpuBefore = os.getProcessCpuTime();
        long began = System.nanoTime();
        try {
            for (int n = 0; n < groupInstances; n++) {
                Path dir = stack.work().resolve("read-side").resolve("bench-group-" + n);
                deleteRecursively(dir);
                int port;
                try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                    port = socket.getLocalPort();
                }
                String url = "http://127.0.0.1:" + port;
                ReadSide side =
                        ReadSide.open(
                                indexConfig(stack, options, dir)
                                        .inGroup(
                                                new GroupConfig(
                                                        groupId, url, Duration.ofSeconds(10))));
                side.follow();
                sides.add(side);
                servers.add(ReadSideServer.start(side, "127.0.0.1", port));
                urls.add(url);
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (!sides.stream()
                    .allMatch(
                            s ->
                                    s.owners().settled()
                                            && new java.util.HashSet<>(
                                                                    s.owners()
                                                                            .claim()
                                                                            .owners()
                                                                            .values())
                                                            .size()
                                                    == Math.min(
                                                            groupInstances,
                                                            s.follower().eventPartitions().size())
                                            && s.holdsAllItsPartitions()
                                            && s.follower().caughtUpOnce())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the group did not index the log in 30 min");
                }
                Thread.sleep(100);
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
            long indexed = events + historyEvents;
            ObjectNode group = results.putObject("group");
            group.put("instances", groupInstances);
            group.put("seconds", seconds);
            group.put("eventsPerSecondAll", indexed / seconds);
            group.put("cpuMicrosPerEventAll", cpu * 1e6 / indexed);
            var perInstance = group.putArray("perInstance");
            for (ReadSide side : sides) {
                long own =
                        side.follower().positions(TopicNames.defaults().events()).values().stream()
                                .mapToLong(Long::longValue)
                                .sum();
                perInstance
                        .addObject()
                        .put(
                                "partitions",
                                side.follower().positions(TopicNames.defaults().events()).size())
                        .put("events", own)
                        .put("eventsPerSecond", own / seconds);
            }
            List<String> devices =
                    sides.get(0).fleet().page(null, null, null, 1_000).items().stream()
                            .map(e -> e.deviceId())
                            .filter(d -> !d.startsWith(HISTORY_DEVICE_PREFIX))
                            .toList();
            var requests = group.putArray("historyRequestsPerSecond");
            for (int n = 0; n < groupInstances; n++) {
                requests.add(closedLoop(urls.get(n), devices, 4, Duration.ofSeconds(10)));
            }
            System.out.printf(
                    "group of %d: indexed in %.1f s (%,.0f events/s over all, %.1f µs CPU per event);"
                            + " per instance %s; history requests/s %s%n",
                    groupInstances,
                    seconds,
                    indexed / seconds,
                    cpu * 1e6 / indexed,
                    perInstance,
                    requests);
        } finally {
            servers.forEach(ReadSideServer::close);
            sides.forEach(ReadSide::close);
        }
    }

    /** History pages of random devices through one instance, {@code threads} at a time. */
    private double closedLoop(String base, List<String> devices, int threads, Duration length)
            throws Exception {
        java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
        long end = System.nanoTime() + length.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random random = new Random(t);
            Thread worker =
                    new Thread(
                            () -> {
                                while (System.nanoTime() < end) {
                                    String device = devices.get(random.nextInt(devices.size()));
                                    try {
                                        HttpResponse<String> answer =
                                                http.send(
                                                        HttpRequest.newBuilder(
                                                                        URI.create(
                                                                                base
                                                                                        + "/api/devices/"
                                                                                        + device
                                                                                        + "/history?limit=100"))
                                                                .build(),
                                                        HttpResponse.BodyHandlers.ofString());
                                        if (answer.statusCode() != 200) {
                                            throw new IllegalStateException(
                                                    device + ": " + answer.body());
                                        }
                                    } catch (java.io.IOException e) {
                                        throw new java.io.UncheckedIOException(e);
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                    done.incrementAndGet();
                                }
                            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return done.get() / (double) length.toSeconds();
    }

    private void memory(LocalStack stack, ObjectNode results) throws Exception {
        long pid =
                stack.pid("readside")
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "the stack's read side does not run"));
        Process gc =
                new ProcessBuilder("jcmd", Long.toString(pid), "GC.run")
                        .redirectErrorStream(true)
                        .start();
        gc.waitFor(1, TimeUnit.MINUTES);
        Process info =
                new ProcessBuilder("jcmd", Long.toString(pid), "GC.heap_info")
                        .redirectErrorStream(true)
                        .start();
        String text = new String(info.getInputStream().readAllBytes());
        info.waitFor(1, TimeUnit.MINUTES);
        java.util.regex.Matcher used =
                java.util.regex.Pattern.compile("used (\\d+)K").matcher(text);
        ObjectNode memory = results.putObject("serviceMemory");
        memory.put("heapUsedAfterGcBytes", used.find() ? Long.parseLong(used.group(1)) * 1024 : -1);
        memory.put("rssBytes", LocalStack.rssOf(pid));
        JsonNode fleet =
                get(
                        System.getenv()
                                        .getOrDefault(
                                                "TWINLOG_READ_SIDE_URL", "http://localhost:8090")
                                + "/api/fleet?limit=1");
        memory.put("devices", fleet.path("counts").path("TOTAL").asLong());
        System.out.printf(
                "service memory with %,d devices: heap after GC %,d MB, RSS %,d MB%n",
                memory.path("devices").asLong(),
                memory.path("heapUsedAfterGcBytes").asLong() >> 20,
                memory.path("rssBytes").asLong() >> 20);
    }

    private ObjectNode timed(int count, java.util.function.IntFunction<String> url)
            throws Exception {
        for (int i = 0; i < 20; i++) {
            get(url.apply(i)); // warm-up
        }
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            String u = url.apply(i);
            long began = System.nanoTime();
            get(u);
            nanos[i] = System.nanoTime() - began;
        }
        return percentiles(nanos);
    }

    /**
     * Wall time of CLI calls that ask the running service (scripts/twinlog, a JVM each), as a user
     * types them: 10 calls after one that warms the disk cache.
     */
    private static ObjectNode cliCalls(
            LocalStack stack, java.util.function.IntFunction<String[]> command) {
        stack.script(Duration.ofMinutes(1), command.apply(-1));
        long[] nanos = new long[10];
        for (int i = 0; i < nanos.length; i++) {
            String[] line = command.apply(i);
            long began = System.nanoTime();
            stack.script(Duration.ofMinutes(1), line);
            nanos[i] = System.nanoTime() - began;
        }
        return percentiles(nanos);
    }

    /**
     * Twin lookups, with where their time goes: the service's own histogram (time inside the
     * server) and the CPU both processes spent per request, beside the client's latency.
     */
    private ObjectNode lookups(LocalStack stack, String service) throws Exception {
        lookupsAt(service, 5, new Random(4)); // warm-up: the server's JIT, the client's connections
        long pid = stack.pid("readside").orElseThrow();
        String route = "route=\"/api/devices/{id}\",status=\"200\"";
        java.util.Map<String, Long> bucketsBefore = buckets(service, route);
        double serverCpu = LocalStack.cpuSecondsOf(pid);
        var os =
                (com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean();
        long clientCpu = os.getProcessCpuTime();
        ObjectNode node = lookupsAt(service, lookupSeconds, new Random(5));
        long requests = node.path("requests").asLong();
        node.put(
                "serviceCpuMicrosPerRequest",
                (LocalStack.cpuSecondsOf(pid) - serverCpu) * 1e6 / requests);
        node.put(
                "clientCpuMicrosPerRequest", (os.getProcessCpuTime() - clientCpu) / 1e3 / requests);
        ObjectNode inside = node.putObject("insideServiceShareAtOrBelow");
        java.util.Map<String, Long> bucketsAfter = buckets(service, route);
        long count = bucketsAfter.getOrDefault("+Inf", 0L) - bucketsBefore.getOrDefault("+Inf", 0L);
        bucketsAfter.forEach(
                (le, n) ->
                        inside.put(
                                le.equals("+Inf") ? "all" : le + " s",
                                (n - bucketsBefore.getOrDefault(le, 0L))
                                        / (double) Math.max(1, count)));
        return node;
    }

    /** The service's cumulative request-latency buckets of one route, by upper bound. */
    private java.util.Map<String, Long> buckets(String service, String labels) throws Exception {
        String text =
                http.send(
                                HttpRequest.newBuilder(URI.create(service + "/metrics")).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        java.util.Map<String, Long> buckets = new java.util.LinkedHashMap<>();
        String prefix = "twinlog_readside_request_seconds_bucket{" + labels + ",le=\"";
        text.lines()
                .filter(l -> l.startsWith(prefix))
                .forEach(
                        l -> {
                            String le =
                                    l.substring(prefix.length(), l.indexOf('"', prefix.length()));
                            buckets.put(
                                    le, Long.parseLong(l.substring(l.lastIndexOf(' ') + 1).trim()));
                        });
        return buckets;
    }

    private ObjectNode lookupsAt(String service, int lookupSeconds, Random random)
            throws Exception {
        int total = lookupRate * lookupSeconds;
        long period = 1_000_000_000L / lookupRate;
        long[] nanos = new long[total];
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        java.util.concurrent.atomic.AtomicLong failures =
                new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> lastFailure =
                new java.util.concurrent.atomic.AtomicReference<>();
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int index = i;
            String device =
                    String.format(
                            "dev-%0" + Math.max(5, String.valueOf(devices).length()) + "d",
                            1 + random.nextInt(devices));
            pending.add(
                    http.sendAsync(
                                    HttpRequest.newBuilder(
                                                    URI.create(service + "/api/devices/" + device))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .handle(
                                    (response, error) -> {
                                        if (error != null || response.statusCode() != 200) {
                                            failures.incrementAndGet();
                                            lastFailure.set(
                                                    device
                                                            + ": "
                                                            + (error != null
                                                                    ? error.toString()
                                                                    : response.statusCode()
                                                                            + " "
                                                                            + response.body()));
                                        }
                                        nanos[index] = System.nanoTime() - due;
                                        return null;
                                    }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        ObjectNode node = percentiles(nanos);
        node.put("requestsPerSecondAsked", lookupRate);
        node.put("requestsPerSecondServed", total / seconds);
        node.put("failed", failures.get());
        if (lastFailure.get() != null) {
            node.put("lastFailure", lastFailure.get());
        }
        return node;
    }

    private static ObjectNode percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        ObjectNode node = JSON.createObjectNode();
        node.put("requests", sorted.length);
        node.put("p50Millis", sorted[(int) (sorted.length * 0.50)] / 1e6);
        node.put(
                "p99Millis",
                sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6);
        node.put("maxMillis", sorted[sorted.length - 1] / 1e6);
        return node;
    }

    private long serviceMetric(String service, String name) throws Exception {
        String text =
                http.send(
                                HttpRequest.newBuilder(URI.create(service + "/metrics")).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        return text.lines()
                .filter(l -> l.startsWith(name + " "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(name.length() + 1).trim()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no metric " + name));
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    url + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private void awaitReady(String service) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (http.send(
                                HttpRequest.newBuilder(URI.create(service + "/ready")).build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the read side did not catch up in 30 minutes");
            }
            Thread.sleep(1_000);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
