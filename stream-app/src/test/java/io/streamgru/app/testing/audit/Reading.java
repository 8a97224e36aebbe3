package io.streamgru.app.testing.audit;

/**
 * One sensor reading as it was written to the input topic: key, its per-key sequence number,
 * event time and target, and where the broker stored it.
 */
public record Reading(String key, long sequence, long eventTime, double target, int partition, long offset) {
}
