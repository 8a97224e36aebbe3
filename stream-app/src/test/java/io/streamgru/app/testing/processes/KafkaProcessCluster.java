package io.streamgru.app.testing.processes;

import io.streamgru.app.embedded.SingleNodeBrokerSettings;
import io.streamgru.app.embedded.TopicCreation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka 4.3 cluster of real broker processes on the loopback interface, for fault tests: one
 * node, or several nodes that are each broker and controller (so killing the active controller
 * leaves a quorum that elects another). Nodes can be killed with {@code kill -9} and restarted
 * with their data; {@link #close()} kills every process it started.
 *
 * <pre>{@code
 * try (KafkaProcessCluster kafka = KafkaProcessCluster.start(3, dir)) {
 *     int controller = kafka.activeController();
 *     kafka.kill(controller);
 *     kafka.restart(controller);
 * }
 * }</pre>
 *
 * <p>Topics it creates, and the internal topics of transactions and consumer groups, are
 * replicated to every node up to three, with {@code min.insync.replicas} one less, so any one node
 * may be down. Start takes 5–15 s on two cores; a restart after {@code kill -9} ~8 s.
 */
public final class KafkaProcessCluster implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final List<KafkaNode> nodes;
    private final Admin admin;

    private KafkaProcessCluster(List<KafkaNode> nodes) {
        this.nodes = nodes;
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    }

    /**
     * Formats and starts {@code size} nodes under {@code directory} (one sub-directory each) and
     * returns once every node is registered and unfenced.
     */
    public static KafkaProcessCluster start(int size, Path directory) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, got " + size);
        }
        List<KafkaNode> nodes = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            nodes.add(new KafkaNode(id, freePort(), freePort(), directory.resolve("node-" + id)));
        }
        String voters = nodes.stream().map(KafkaNode::voter).collect(Collectors.joining(","));
        String clusterId = Uuid.randomUuid().toString();
        Map<String, String> configs = brokerConfigs(size);
        for (KafkaNode node : nodes) {
            node.configure(clusterId, voters, configs);
        }
        try {
            nodes.forEach(KafkaNode::start);
            // An admin client created earlier would log a warning for every refused connection meanwhile.
            nodes.forEach(KafkaProcessCluster::awaitListening);
        } catch (RuntimeException | Error e) {
            nodes.forEach(KafkaNode::close);
            throw e;
        }
        KafkaProcessCluster cluster = new KafkaProcessCluster(nodes);
        try {
            cluster.awaitNodes(nodes.stream().map(KafkaNode::id).collect(Collectors.toSet()));
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Waits until {@code node} accepts TCP connections on its client port. */
    private static void awaitListening(KafkaNode node) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String[] hostPort = node.clientAddress().split(":");
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 1000);
                return;
            } catch (IOException notYet) {
                if (!node.isRunning()) {
                    throw new IllegalStateException("kafka node " + node.id() + " exited during start; its log:\n"
                            + node.logTail(40));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("kafka node " + node.id() + " not listening within "
                            + START_TIMEOUT + "; its log:\n" + node.logTail(20));
                }
                sleep(100);
            }
        }
    }

    /**
     * {@link SingleNodeBrokerSettings}, with replication raised to the cluster's size (at most 3),
     * and Kafka's default message size limit (1 MiB) as on a real cluster: a topic that needs more
     * (the app's model topics, a user's input topic) must say so itself.
     */
    private static Map<String, String> brokerConfigs(int size) {
        Map<String, String> configs = new HashMap<>(SingleNodeBrokerSettings.brokerConfigs());
        configs.remove("message.max.bytes");
        configs.remove("replica.fetch.max.bytes");
        String replicas = Integer.toString(Math.min(3, size));
        String minIsr = Integer.toString(Math.max(1, Math.min(3, size) - 1));
        configs.put("default.replication.factor", replicas);
        configs.put("min.insync.replicas", minIsr);
        configs.put("offsets.topic.replication.factor", replicas);
        configs.put("transaction.state.log.replication.factor", replicas);
        configs.put("transaction.state.log.min.isr", minIsr);
        configs.put("share.coordinator.state.topic.replication.factor", replicas);
        configs.put("share.coordinator.state.topic.min.isr", minIsr);
        // A killed producer's open transaction hides what others write after it from read_committed
        // readers until the broker aborts it: check for expired ones every second, not every 10 s
        // (docs/SCALING.md recommends the same for fast failover).
        configs.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        return configs;
    }

    /** {@code host:port} of every node, comma-separated. */
    public String bootstrapServers() {
        return nodes.stream().map(KafkaNode::clientAddress).collect(Collectors.joining(","));
    }

    /** Number of nodes, running or not. */
    public int size() {
        return nodes.size();
    }

    /** Replication factor of the topics it creates. */
    public short replicationFactor() {
        return (short) Math.min(3, nodes.size());
    }

    /** Node {@code id} (1-based). */
    public KafkaNode node(int id) {
        return nodes.get(id - 1);
    }

    /** A new admin client for this cluster; the caller closes it. */
    public Admin newAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** Creates a topic replicated to {@link #replicationFactor()} nodes; returns once every partition has a leader. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        new TopicCreation(admin, ADMIN_TIMEOUT).create(name, partitions, replicationFactor(), configs);
    }

    /** The node id of the active controller (the KRaft quorum's leader), from {@code describeMetadataQuorum}. */
    public int activeController() {
        try {
            return admin.describeMetadataQuorum().quorumInfo().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .leaderId();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe the metadata quorum: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code kill -9} node {@code id}; its data stays for {@link #restart}. */
    public void kill(int id) {
        node(id).kill();
    }

    /** Starts node {@code id} again on its data; returns once it is registered and unfenced. */
    public void restart(int id) {
        node(id).start();
        awaitNodes(Set.of(id));
    }

    /**
     * Waits until every partition of {@code topic} has all its replicas in sync again (e.g. after a
     * restart), so the next fault does not hit a partition that is already short of a replica.
     */
    public void awaitFullyReplicated(String topic) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
                boolean inSync = true;
                for (TopicPartitionInfo partition : description.partitions()) {
                    inSync &= partition.isr().size() == partition.replicas().size();
                }
                if (inSync) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // a node just came back: ask again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " not fully replicated within " + START_TIMEOUT);
            }
            sleep(200);
        }
    }

    private void awaitNodes(Set<Integer> ids) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            for (int id : ids) {
                if (!node(id).isRunning()) {
                    throw new IllegalStateException("kafka node " + id + " exited during start; its log:\n"
                            + node(id).logTail(40));
                }
            }
            try {
                Set<Integer> registered = admin.describeCluster().nodes()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .stream().map(Node::id).collect(Collectors.toSet());
                if (registered.containsAll(ids)) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // not answering yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("kafka nodes " + ids + " not registered within " + START_TIMEOUT
                        + "; last log lines:\n" + ids.stream().map(id -> node(id).logTail(20))
                        .collect(Collectors.joining("\n")));
            }
            sleep(200);
        }
    }

    /** Kills every node process (their data stays under the directory given to {@link #start}). */
    @Override
    public void close() {
        try {
            admin.close(Duration.ZERO);
        } finally {
            nodes.forEach(KafkaNode::close);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A free port on the loopback interface (another process could take it first; the node would then fail to start, visibly). */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback interface", e);
        }
    }
}
