package io.streamgru.app.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A non-Java client, kcat (librdkafka), works against the test broker: what the demo promises for
 * kcat and Python users. Skipped when kcat is not installed, unless
 * {@code CI_REQUIRE_KCAT=1} (as on CI), which turns its absence into a failure.
 */
@WithKafka
class KcatInteropTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Kcat kcat;

    @BeforeEach
    void findKcat() {
        // Per test, not per class: surefire then counts and names each skipped test.
        kcat = Kcat.find().orElse(null);
        if (kcat == null && "1".equals(System.getenv("CI_REQUIRE_KCAT"))) {
            fail("kcat is not on the PATH but CI_REQUIRE_KCAT=1: apt-get install -y kcat");
        }
        assumeTrue(kcat != null, "kcat is not on the PATH (apt-get install -y kcat); skipping kcat interop");
    }

    @Test
    void listsTheBrokerAndATopicInMetadata(KafkaTestCluster kafka) throws Exception {
        String topic = kafka.newTopic("kcat-metadata", 2);

        String metadata = kcat.run(TIMEOUT, "-b", kafka.bootstrapServers(), "-L", "-t", topic);

        assertThat(metadata).contains("1 brokers:");
        assertThat(metadata).contains("topic \"" + topic + "\" with 2 partitions:");
    }

    @Test
    void consumesWhatTheTestProduced(KafkaTestCluster kafka) throws Exception {
        String topic = kafka.newTopic("kcat-consume", 1);
        List<KeyValue<String, String>> sent = IntStream.range(0, 5)
                .mapToObj(i -> KeyValue.pair("sensor-" + i, "reading-" + i))
                .toList();
        kafka.produceStrings(topic, sent);

        String consumed = kcat.run(TIMEOUT, "-b", kafka.bootstrapServers(), "-C", "-t", topic,
                "-c", "5", "-e", "-f", "%k %s\\n");

        assertThat(consumed.lines()).containsExactly(
                "sensor-0 reading-0", "sensor-1 reading-1", "sensor-2 reading-2",
                "sensor-3 reading-3", "sensor-4 reading-4");
    }
}
