package io.twinlog.readside.http;

import io.javalin.http.Context;
import io.twinlog.readside.ReadSide;
import io.twinlog.readside.api.Answers;
import io.twinlog.readside.group.Placement;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

/**
 * Sends a device's question to the instance of the read-side group that owns its partition, and its
 * answer back to the caller, as it came (status, body). The caller's credentials go with it: every
 * instance of a group must accept the same ones. A question that comes from another instance is
 * never sent on: an instance that does not own the device's partition any more says so (421), and
 * the asking instance answers 503 with Retry-After, never an answer from a stale index.
 */
final class PeerRouting {

    /** The header of a question sent on by another instance: its URL. */
    static final String FORWARDED_BY = "X-Twinlog-Forwarded-By";

    /** The header of an answer: the URL of the instance that answered it. */
    static final String ANSWERED_BY = "X-Twinlog-Answered-By";

    private static final List<String> PASSED_ON = List.of("Authorization", "Cookie", "Accept");

    /** Longer than one answer's fold budget ({@code HistoryFold.BUDGET}). */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ReadSide readSide;
    private final HttpClient client;

    /**
     * @param trust what to trust of the other instances' certificates ({@link PeerTrust}), or null
     *     for the JVM's trust store
     */
    PeerRouting(ReadSide readSide, javax.net.ssl.SSLContext trust) {
        this.readSide = readSide;
        HttpClient.Builder builder =
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(3))
                        .followRedirects(HttpClient.Redirect.NEVER);
        if (trust != null) {
            builder.sslContext(trust);
        }
        this.client = builder.build();
    }

    /** An answer another instance gave, or this one refused to give. */
    record Answer(int status, String contentType, byte[] body, String answeredBy) {}

    /**
     * What to answer instead of answering here, or null to answer here.
     *
     * @param device the device the question is about
     */
    Answer route(Context ctx, String device) {
        if (!readSide.owners().grouped()) {
            return null;
        }
        Placement placement = readSide.placement(device);
        boolean forwarded = ctx.header(FORWARDED_BY) != null;
        return switch (placement.kind()) {
            case LOCAL -> null;
            case MOVING -> refusal(503, placement.reason());
            case REMOTE ->
                    forwarded
                            ? refusal(
                                    421,
                                    "this instance does not index partition "
                                            + placement.partition()
                                            + " now")
                            : ask(ctx, placement.owner(), placement.partition());
            case UNPLACED -> {
                if (!forwarded) {
                    yield askEveryone(ctx);
                }
                yield readSide.holdsAllItsPartitions()
                        ? null
                        : refusal(421, "this instance is still indexing partitions it took over");
            }
        };
    }

    /** The owner's answer; 503 if it cannot give one now. */
    private Answer ask(Context ctx, String owner, int partition) {
        Answer answer = send(ctx, owner);
        if (answer == null) {
            return refusal(
                    503,
                    "the instance that indexes partition "
                            + partition
                            + " ("
                            + owner
                            + ") did not answer; if it left, the group gives the partition to"
                            + " another instance");
        }
        if (answer.status() == 421) {
            return refusal(503, "partition " + partition + " is changing hands");
        }
        return answer;
    }

    /**
     * A device neither its twin nor this index places: asks every other instance, and the one that
     * holds its records answers. 404 only when every instance said so.
     */
    private Answer askEveryone(Context ctx) {
        boolean someoneMissing =
                !readSide.holdsAllItsPartitions() || !readSide.everyPartitionOwned();
        for (String peer : new TreeSet<>(readSide.owners().claim().owners().values())) {
            if (peer.equals(readSide.owners().self())) {
                continue;
            }
            Answer answer = send(ctx, peer);
            if (answer == null || answer.status() == 421 || answer.status() >= 500) {
                someoneMissing = true;
            } else if (answer.status() != 404) {
                return answer;
            }
        }
        return someoneMissing
                ? refusal(503, "not every instance of the read-side group could be asked now")
                : null;
    }

    /**
     * The same request's answer from every other instance of the group, by URL; null for one that
     * did not give one. Empty when this instance runs alone or the request came from another.
     */
    java.util.Map<String, Answer> askEachOther(Context ctx) {
        java.util.Map<String, Answer> answers = new java.util.TreeMap<>();
        if (!readSide.owners().grouped() || ctx.header(FORWARDED_BY) != null) {
            return answers;
        }
        for (String peer : new TreeSet<>(readSide.owners().claim().owners().values())) {
            if (!peer.equals(readSide.owners().self())) {
                answers.put(peer, send(ctx, peer));
            }
        }
        return answers;
    }

    /** The peer's answer, or null if it did not give one. */
    private Answer send(Context ctx, String peer) {
        String query = ctx.queryString();
        HttpRequest.Builder request =
                HttpRequest.newBuilder(
                                URI.create(peer + ctx.path() + (query == null ? "" : "?" + query)))
                        .timeout(TIMEOUT)
                        .header(FORWARDED_BY, readSide.owners().self())
                        .GET();
        for (String header : PASSED_ON) {
            String value = ctx.header(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        try {
            HttpResponse<byte[]> response =
                    client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(ReadSideRoutes.JSON),
                    response.body(),
                    peer);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private Answer refusal(int status, String message) {
        try {
            return new Answer(
                    status,
                    ReadSideRoutes.JSON,
                    Answers.MAPPER.writeValueAsBytes(Answers.error(status, message, readSide)),
                    readSide.owners().self());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
