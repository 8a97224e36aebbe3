package io.streamgru.app.runtime;

import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.topics.ChangelogTopics;
import io.streamgru.app.topology.StoreNames;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Creates the changelog topics of the stores this release added to the learners' application
 * ({@code learner-state}) before Kafka Streams starts, as Kafka Streams would create them
 * ({@link ChangelogTopics}): named after the application id, one partition per learner task.
 *
 * <p>Why not leave it to Kafka Streams: it creates the changelogs of the group leader's topology.
 * In a rolling upgrade from a release without the store the leader may still run that release,
 * and this release's tasks would find no changelog to restore from and log to.
 */
final class NewStoreChangelogs {

    /** The stores whose changelogs are made here. */
    static final List<String> STORES = List.of(StoreNames.LEARNER_STATE);

    private NewStoreChangelogs() {
    }

    /**
     * @param streams    the learners' Kafka Streams properties (their application id)
     * @param partitions the input partitions (one learner task each)
     * @return the topics created (those that existed are left as they are)
     */
    static List<String> create(Admin admin, StreamGruConfig config, Properties streams, int partitions)
            throws InterruptedException {
        String applicationId = streams.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        List<String> topics = STORES.stream().map(store -> StoreNames.changelogTopic(applicationId, store)).toList();
        return ChangelogTopics.createMissing(admin, config, topics, partitions);
    }
}
