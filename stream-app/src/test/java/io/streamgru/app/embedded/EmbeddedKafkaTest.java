package io.streamgru.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link EmbeddedKafka} as {@code streamgru demo} uses it. One broker on a fixed port serves the
 * read-only checks; the lifecycle checks start their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedKafkaTest {

    private int fixedPort;
    private EmbeddedKafka kafka;
    private Admin admin;

    @BeforeAll
    void startBrokerOnAFixedPort() throws IOException {
        fixedPort = unusedLoopbackPort();
        kafka = new EmbeddedKafka(fixedPort);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    @AfterAll
    void stopBroker() {
        admin.close();
        kafka.close();
    }

    @Test
    void listensOnTheRequestedPortOfTheLoopbackAddressAndAdvertisesIt() throws Exception {
        assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + fixedPort);

        List<Node> brokers = List.copyOf(admin.describeCluster().nodes().get());
        assertThat(brokers).singleElement().satisfies(node -> {
            assertThat(node.host()).isEqualTo("127.0.0.1");
            assertThat(node.port()).isEqualTo(fixedPort);
        });
    }

    @Test
    void reportsHowLongItTookToStart() {
        assertThat(kafka.startupTime()).isPositive();
    }

    @Test
    void createsTopicsWithTheGivenPartitionsAndConfigs() throws Exception {
        kafka.createTopic("model-snapshots", 3,
                Map.of("max.message.bytes", "6291456", "cleanup.policy", "compact"));

        TopicDescription topic = admin.describeTopics(List.of("model-snapshots")).allTopicNames().get()
                .get("model-snapshots");
        assertThat(topic.partitions()).hasSize(3);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "model-snapshots");
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        assertThat(config.get("max.message.bytes").value()).isEqualTo("6291456");
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
    }

    @Test
    void refusesToCreateATopicTwice() {
        kafka.createTopic("readings", 1, Map.of());

        assertThatThrownBy(() -> kafka.createTopic("readings", 1, Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("readings")
                .hasMessageContaining("already exists");
    }

    @Test
    void acceptsSixteenMebibyteRecordsAndSingleNodeTransactions() throws Exception {
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
        Config config = admin.describeConfigs(List.of(broker)).all().get().get(broker);

        assertThat(Integer.parseInt(config.get("message.max.bytes").value()))
                .isGreaterThanOrEqualTo(16 * 1024 * 1024);
        assertThat(Integer.parseInt(config.get("replica.fetch.max.bytes").value()))
                .isGreaterThanOrEqualTo(16 * 1024 * 1024);
        assertThat(config.get("transaction.state.log.replication.factor").value()).isEqualTo("1");
        assertThat(config.get("transaction.state.log.min.isr").value()).isEqualTo("1");
        assertThat(config.get("offsets.topic.replication.factor").value()).isEqualTo("1");
        assertThat(config.get("group.initial.rebalance.delay.ms").value()).isEqualTo("0");
    }

    @Test
    void closeStopsTheBrokerDeletesItsDataAndMayBeRepeated() throws IOException {
        EmbeddedKafka broker = new EmbeddedKafka();
        int port = Integer.parseInt(broker.bootstrapServers().substring("127.0.0.1:".length()));
        assertThat(broker.dataDirectory()).isDirectory();
        assertThat(accepts(port)).isTrue();

        broker.close();
        broker.close();

        assertThat(Files.exists(broker.dataDirectory())).isFalse();
        assertThat(accepts(port)).isFalse();
    }

    @Test
    void failsToStartOnAPortInUseAndLeavesNoDataBehind() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> before = streamgruTempDirectories();

            assertThatThrownBy(() -> new EmbeddedKafka(taken.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());

            assertThat(streamgruTempDirectories()).isEqualTo(before);
        }
    }

    @Test
    void rejectsPortsOutsideTheTcpRange() {
        assertThatThrownBy(() -> new EmbeddedKafka(65_536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EmbeddedKafka(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static int unusedLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> streamgruTempDirectories() throws IOException {
        try (var entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith("streamgru-kafka-"))
                    .sorted()
                    .toList();
        }
    }
}
