package io.streamgru.app.embedded;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates a topic and returns only once the broker serves it: every partition has a leader in the
 * broker's metadata.
 *
 * <p>The controller confirms a new topic before the broker has applied that metadata, so a
 * describe, produce or consume right after {@code createTopics()} can still be told the topic
 * does not exist. Waiting here keeps callers free of that race.
 */
public final class TopicCreation {

    private static final long RETRY_MILLIS = 20;

    private final Admin admin;
    private final Duration timeout;

    /** Uses {@code admin} (not closed here), waiting at most {@code timeout} per topic. */
    public TopicCreation(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /**
     * Creates {@code name} with replication factor 1 and waits until it is served.
     *
     * @throws IllegalStateException if the broker refuses (e.g. the topic exists, a config is
     *     invalid) or the topic is not served within the timeout
     */
    public void create(String name, int partitions, Map<String, String> configs) {
        create(name, partitions, (short) 1, configs);
    }

    /**
     * Creates {@code name} with {@code replicationFactor} replicas and waits until it is served.
     *
     * @throws IllegalStateException as {@link #create(String, int, Map)}
     */
    public void create(String name, int partitions, short replicationFactor, Map<String, String> configs) {
        long deadline = System.nanoTime() + timeout.toNanos();
        NewTopic topic = new NewTopic(name, partitions, replicationFactor).configs(configs);
        try {
            admin.createTopics(List.of(topic)).all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            while (!served(name)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + name + " was created but not served within "
                            + timeout);
                }
                Thread.sleep(RETRY_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("creating topic " + name + " failed: " + cause, cause);
        }
    }

    private boolean served(String name) throws InterruptedException, ExecutionException, TimeoutException {
        try {
            TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(name);
            return description.partitions().stream()
                    .allMatch(p -> p.leader() != null && !p.leader().equals(Node.noNode()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }

    private static long remainingMillis(long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}
