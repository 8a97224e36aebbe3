package io.streamgru.app.versions;

/**
 * A request to the live optimizer to publish {@code contents} as its next version, made by
 * {@code origin} ({@code import}, {@code rollback:N}, {@code replay}). It travels on the gradients
 * topic, which only the optimizer reads, so the optimizer stays the one writer of versions while it
 * runs: it numbers the version after its own, publishes it to both model topics in the transaction
 * that consumes the request, and tags those records with {@link #HEADER} = {@code id} so the
 * requester can find the number it got.
 *
 * @param id       unique per request (a UUID)
 * @param origin   who asked; becomes the version's origin
 * @param contents parameters, statistics, optimizer state, counters and config hash; its number and
 *                 creation time are replaced by the optimizer's
 */
public record VersionRequest(String id, String origin, ModelVersion contents) {

    /** The header of the model records published for a request: the request's id (UTF-8). */
    public static final String HEADER = "streamgru.request.id";
}
