package io.streamgru.app.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the open transaction of an instance that vanished from its application's consumer group
 * (killed, machine lost) as soon as the group drops it, instead of after the transaction timeout.
 *
 * <p>Why: under exactly-once, a killed instance leaves its last transaction open. Until the broker
 * aborts it, {@code transaction.timeout.ms} after it began (10 s), no read_committed reader sees
 * anything written after it to the same partitions: the forecasts of the partitions the survivors
 * took over, the gradients topic, the model. A shorter timeout would end it sooner, but it also ends
 * transactions of live instances that stall that long (a broker restart, a long pause), which the
 * fault suite showed to cost forecasts. Fencing ends only the dead instance's transaction, at the
 * moment the group has removed it (its session expired, 6 s), so the takeover no longer waits for
 * the timeout.
 *
 * <p>How: Kafka Streams (exactly-once v2) names each stream thread's transactional id
 * {@code <application.id>-<process id>-<thread index>} and its main consumer's client id
 * {@code <application.id>-<process id>-StreamThread-<thread index>-consumer}. Every {@code interval}
 * this reads the members of each group, maps their client ids to transactional ids, and for each
 * id seen before and gone now initialises a producer with that id: the transaction coordinator
 * then aborts the id's open transaction and bumps its epoch, which is what a restart of the dead
 * instance would do. A member whose client id does not have that shape (a {@code client.id}
 * set by the user) is skipped: the takeover then waits for the timeout, as without this class.
 * Fencing a member that only looked dead (paused longer than its session) is safe: it lost its
 * tasks already, and its next commit would have failed; it rejoins with a new producer epoch. A
 * failure to fence (no permission on the transactional id, the broker away) is logged once per id
 * and costs only the speed-up. An id whose transactions are all complete (the coordinator says so:
 * {@code Admin.describeTransactions}) is left alone: its instance stopped cleanly, as in a rolling
 * restart, or died between transactions, and nothing of it holds readers back.
 *
 * <p>Runs on the caller's thread ({@link #check()}); {@code StreamGruApp} schedules it.
 */
final class DeadInstanceFencer {

    private static final Logger LOG = LoggerFactory.getLogger(DeadInstanceFencer.class);
    /** A Kafka Streams main consumer's client id: application id and process id (a UUID), then the thread. */
    private static final Pattern STREAM_THREAD_CONSUMER = Pattern.compile(
            "(.+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-StreamThread-(\\d+)-consumer");
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;
    private final Map<String, Object> producerConfig;
    private final List<String> groups;
    private final Consumer<String> fenced;
    /** Transactional ids of each group's members at the last check. */
    private final Map<String, Set<String>> members = new HashMap<>();

    /**
     * @param admin          reads the groups (closed by the caller)
     * @param producerConfig connection and security settings for the fencing producers
     * @param groups         the application ids whose groups to watch
     * @param fenced         told of every transactional id fenced (a metric, a test)
     */
    DeadInstanceFencer(Admin admin, Map<String, Object> producerConfig, List<String> groups, Consumer<String> fenced) {
        this.admin = admin;
        this.producerConfig = Map.copyOf(producerConfig);
        this.groups = List.copyOf(groups);
        this.fenced = fenced;
    }

    /** One round: reads the groups and fences every member gone since the last round. */
    void check() {
        Map<String, ConsumerGroupDescription> descriptions;
        try {
            descriptions = admin.describeConsumerGroups(groups).all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                LOG.debug("cannot read the consumer groups {}: {}", groups, e.getCause().toString());
            }
            return;
        } catch (TimeoutException e) {
            return; // the broker is away: the next round tries again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (String group : groups) {
            ConsumerGroupDescription description = descriptions.get(group);
            if (description == null) {
                continue;
            }
            Set<String> now = transactionalIds(group, description.members());
            Set<String> before = members.put(group, now);
            if (before != null) {
                for (String id : before) {
                    if (!now.contains(id)) {
                        fence(group, id);
                    }
                }
            }
        }
    }

    /**
     * Whether the coordinator has a transaction of {@code transactionalId} under way. When it cannot
     * tell (no DESCRIBE on the id, the broker away), true: fencing an id without one costs nothing.
     */
    private boolean hasOpenTransaction(String transactionalId) {
        try {
            TransactionState state = admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).state();
            return state == TransactionState.ONGOING || state == TransactionState.PREPARE_COMMIT
                    || state == TransactionState.PREPARE_ABORT || state == TransactionState.UNKNOWN;
        } catch (ExecutionException e) {
            return !(e.getCause() instanceof TransactionalIdNotFoundException);
        } catch (TimeoutException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** The transactional ids of the Kafka Streams threads among {@code members} of the application {@code group}. */
    static Set<String> transactionalIds(String group, Iterable<MemberDescription> members) {
        Set<String> ids = new HashSet<>();
        for (MemberDescription member : members) {
            String id = transactionalId(group, member.clientId());
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** The transactional id of the stream thread whose main consumer has {@code clientId}, or null if it is not one. */
    static String transactionalId(String group, String clientId) {
        Matcher m = STREAM_THREAD_CONSUMER.matcher(clientId);
        if (!m.matches() || !m.group(1).startsWith(group + "-")
                || m.group(1).length() != group.length() + 1 + 36) {
            return null;
        }
        return m.group(1) + "-" + m.group(2);
    }

    private void fence(String group, String transactionalId) {
        if (!hasOpenTransaction(transactionalId)) {
            // Left with its transactions complete: a clean stop (a rolling restart), or a death between
            // transactions. Nothing holds readers back, so nothing to end, and no failover to count.
            LOG.debug("instance gone from group {} with no open transaction ({})", group, transactionalId);
            return;
        }
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, group + "-fencer");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis() * 2);
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            LOG.info("instance gone from group {}: ended its open transaction ({}) in {} ms", group, transactionalId,
                    (System.nanoTime() - start) / 1_000_000);
            fenced.accept(transactionalId);
        } catch (RuntimeException e) {
            LOG.warn("instance gone from group {}: could not end its open transaction ({}): {}; it ends at its "
                    + "transaction timeout", group, transactionalId, e.toString());
        }
    }
}
