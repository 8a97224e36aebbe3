package io.streamgru.app.embedded;

import java.util.Map;

/**
 * Broker settings that make one Kafka node enough for StreamGRU: transactions (exactly-once Kafka
 * Streams), consumer groups and model-sized messages all work without a second broker.
 *
 * <p>The same settings configure {@link EmbeddedKafka} and, as environment variables, the
 * container broker of the integration tests, so both backends behave alike.
 */
public final class SingleNodeBrokerSettings {

    /**
     * Largest record batch the broker accepts: 16 MiB of payload plus 64 KiB for batch and record
     * headers, so a 16 MiB model snapshot fits in one record.
     */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024 + 64 * 1024;

    private SingleNodeBrokerSettings() {
    }

    /** The broker configs, as {@code server.properties} keys and values. */
    public static Map<String, String> brokerConfigs() {
        return Map.ofEntries(
                // Internal topics default to replication factor 3; with one broker,
                // InitProducerId then times out (INVALID_REPLICATION_FACTOR) and EOS never starts.
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                // 50 partitions each by default: slow to create on two cores, useless on one node.
                Map.entry("offsets.topic.num.partitions", "1"),
                Map.entry("transaction.state.log.num.partitions", "1"),
                // Nobody else will join: don't wait 3 s before the first rebalance.
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES)),
                Map.entry("replica.fetch.max.bytes", Integer.toString(MAX_MESSAGE_BYTES)),
                // Compacted changelogs need the cleaner, but not its 128 MiB default buffer.
                Map.entry("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024)));
    }
}
