package io.streamgru.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.WithKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The survivors end a vanished instance's open transaction as soon as its group drops it, and
 * touch nobody else's. Instances are played by what Kafka Streams would run for them: a consumer in
 * the application's group with a stream thread's client id, and a transactional producer with that
 * thread's transactional id, on the real broker.
 */
@WithKafka
class DeadInstanceFencerTest {

    private static final String APP = "app";
    private static final String PROCESS = "2af067fc-47d0-41d5-ac79-3070bd186dfd";

    @Test
    void aStreamThreadsConsumerNamesItsTransactionalId() {
        assertThat(DeadInstanceFencer.transactionalId(APP, APP + "-" + PROCESS + "-StreamThread-3-consumer"))
                .isEqualTo(APP + "-" + PROCESS + "-3");
    }

    @Test
    void otherClientsNameNone() {
        // Another application whose id starts with this one's, a user's own client.id, another client of the thread.
        assertThat(DeadInstanceFencer.transactionalId(APP, APP + "-optimizer-" + PROCESS + "-StreamThread-1-consumer"))
                .isNull();
        assertThat(DeadInstanceFencer.transactionalId(APP, "my-client-StreamThread-1-consumer")).isNull();
        assertThat(DeadInstanceFencer.transactionalId(APP, APP + "-" + PROCESS + "-StreamThread-1-restore-consumer"))
                .isNull();
    }

    @Test
    void endsTheOpenTransactionOfAnInstanceGoneFromTheGroupAndOnlyThat(KafkaTestCluster kafka) throws Exception {
        String group = "fence-" + UUID.randomUUID().toString().substring(0, 8);
        String input = kafka.newTopic("fence-in", 2);
        String output = kafka.newTopic("fence-out", 1);
        List<String> fenced = new ArrayList<>();
        try (Instance dying = new Instance(kafka, group, input);
             Instance surviving = new Instance(kafka, group, input);
             Admin admin = kafka.newAdmin()) {
            DeadInstanceFencer fencer = new DeadInstanceFencer(admin, kafka.clientConfig(), List.of(group),
                    fenced::add);
            awaitBothJoined(admin, group, dying, surviving);
            dying.writeUncommitted(output, "from the dying instance");
            surviving.writeUncommitted(output, "from the surviving instance");
            fencer.check(); // both are members

            dying.leaveGroup(); // its producer keeps the transaction open, as a killed process's would
            awaitMembers(admin, group, 1);
            fencer.check();

            assertThat(fenced).containsExactly(dying.transactionalId);
            assertThatThrownBy(dying.producer::commitTransaction).isInstanceOf(KafkaException.class);
            surviving.producer.commitTransaction();
            // The aborted record no longer holds back read_committed readers: the stable offset is the log end.
            assertThat(committedValues(kafka, output)).containsExactly("from the surviving instance");

            fencer.check();
            assertThat(fenced).as("a member gone is fenced once").hasSize(1);
        }
    }

    @Test
    void leavesAloneAnInstanceThatLeftWithItsTransactionCommitted(KafkaTestCluster kafka) throws Exception {
        String group = "fence-clean-" + UUID.randomUUID().toString().substring(0, 8);
        String input = kafka.newTopic("fence-clean-in", 2);
        String output = kafka.newTopic("fence-clean-out", 1);
        List<String> fenced = new ArrayList<>();
        try (Instance stopping = new Instance(kafka, group, input);
             Instance staying = new Instance(kafka, group, input);
             Admin admin = kafka.newAdmin()) {
            DeadInstanceFencer fencer = new DeadInstanceFencer(admin, kafka.clientConfig(), List.of(group),
                    fenced::add);
            awaitBothJoined(admin, group, stopping, staying);
            stopping.writeUncommitted(output, "committed before it stops");
            fencer.check(); // both are members

            stopping.producer.commitTransaction(); // a clean stop: commit, then leave the group
            stopping.leaveGroup();
            awaitMembers(admin, group, 1);
            fencer.check();

            assertThat(fenced).as("a rolling restart is no failover").isEmpty();
        }
    }

    private static void awaitBothJoined(Admin admin, String group, Instance a, Instance b) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (members(admin, group) != 2 || !stable(admin, group)) {
            assertThat(System.nanoTime()).as("both instances join").isLessThan(deadline);
            a.poll();
            b.poll();
        }
    }

    private static int members(Admin admin, String group) throws Exception {
        try {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0; // not created yet
            }
            throw e;
        }
    }

    private static boolean stable(Admin admin, String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).all().get().get(group).groupState() == GroupState.STABLE;
    }

    private static void awaitMembers(Admin admin, String group, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (members(admin, group) != count) {
            assertThat(System.nanoTime()).as("group %s reaches %d members", group, count).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static List<String> committedValues(KafkaTestCluster kafka, String topic) {
        Map<String, Object> config = kafka.clientConfig();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        TopicPartition partition = new TopicPartition(topic, 0);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(Set.of(partition));
            long stable = consumer.endOffsets(Set.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < stable && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
            }
        }
        return values;
    }

    /** What one Kafka Streams instance with one stream thread holds: its main consumer and its producer. */
    private static final class Instance implements AutoCloseable {

        final String transactionalId;
        final KafkaProducer<byte[], byte[]> producer;
        private final KafkaConsumer<byte[], byte[]> consumer;

        Instance(KafkaTestCluster kafka, String group, String input) {
            String process = UUID.randomUUID().toString();
            transactionalId = group + "-" + process + "-1";
            Map<String, Object> consumerConfig = new HashMap<>(kafka.clientConfig());
            consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + process + "-StreamThread-1-consumer");
            // As StreamGRU's instances: a member that cannot leave (it is killed) is dropped after 6 s.
            consumerConfig.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
            consumerConfig.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_500);
            consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(input));
            Map<String, Object> producerConfig = new HashMap<>(kafka.clientConfig());
            producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
            producer.initTransactions();
        }

        void writeUncommitted(String topic, String value) throws Exception {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8))).get();
        }

        void poll() {
            consumer.poll(Duration.ofMillis(100));
        }

        void leaveGroup() {
            consumer.close();
        }

        @Override
        public void close() {
            producer.close(Duration.ZERO);
            consumer.close(); // a second close is a no-op
        }
    }
}
