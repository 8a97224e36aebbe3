package io.streamgru.app.runtime;

import io.streamgru.app.config.ClientProperties;
import io.streamgru.app.config.EnvironmentException;
import io.streamgru.app.config.RegistrySettings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.input.InputDecoders;
import io.streamgru.app.input.RecordDecoder;
import io.streamgru.app.topics.ChangelogTopics;
import io.streamgru.app.topics.TopicProvisioner;
import io.streamgru.app.topology.AvroForecastEncoder;
import io.streamgru.app.topology.DeadLetterProductionHandler;
import io.streamgru.app.topology.DeadLetters;
import io.streamgru.app.topology.ForecastEncoder;
import io.streamgru.app.topology.JsonForecastEncoder;
import io.streamgru.app.topology.StreamGruMetrics;
import io.streamgru.app.topology.StoreNames;
import io.streamgru.app.topology.StreamGruTopology;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.streamgru.schemas.registry.SchemaRegistryClient;
import io.streamgru.schemas.serde.ConfluentAvroSerializer;
import io.streamgru.schemas.serde.SerdeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running StreamGRU instance: sets up its topics, builds the topologies from the configuration
 * and runs them until closed, as two Kafka Streams applications: the learners ({@code app.id}) and
 * the optimizer ({@code app.id + "-optimizer"}, one thread; its single task is active in one
 * instance at a time). Separate applications give the optimizer its own thread and consumer, so a
 * backlog on the input cannot starve it.
 */
public final class StreamGruApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamGruApp.class);
    /**
     * The optimizer application's commit interval (or the learners', if shorter), unless
     * {@code kafka.optimizer.commit.interval.ms} says otherwise: {@code kafka.optimizer.*} settings
     * apply to the optimizer's application only.
     */
    static final long OPTIMIZER_COMMIT_INTERVAL_MS = 20;
    /** Consumer session timeout of both applications, unless {@code kafka.session.timeout.ms} says otherwise. */
    static final int FAILOVER_SESSION_TIMEOUT_MS = 6_000;
    /** The learners' commit interval under exactly-once, unless {@code kafka.commit.interval.ms} says otherwise. */
    static final long LEARNER_EXACTLY_ONCE_COMMIT_INTERVAL_MS = 50;
    /**
     * How often {@link DeadInstanceFencer} reads the groups: a dead instance's transaction ends at most this
     * long after its session expired. Two small admin requests a round.
     */
    static final long FENCING_INTERVAL_MS = 500;

    private final StreamGruConfig config;
    private final StreamGruMetrics metrics;
    private final String configHash;
    private final Supplier<RecordDecoder> decoders;
    private final Supplier<ForecastEncoder> encoders;
    private final SchemaRegistryClient registry;
    private final AtomicReference<EnvironmentException> failure = new AtomicReference<>();
    private KafkaStreams streams;
    private KafkaStreams optimizer;
    /** Kafka Streams' client metrics of both applications, bound to the instance's meter registry. */
    private final List<KafkaStreamsMetrics> clientMeters = new ArrayList<>();
    /** Ends the open transactions of instances gone from the groups (exactly-once only); null when off. */
    private ScheduledExecutorService fencing;
    private Admin fencingAdmin;
    /** Set when {@link #close} begins: the instance is shutting down (health says so). */
    private volatile boolean closing;

    /** The application reading and writing the formats its configuration names. */
    public StreamGruApp(StreamGruConfig config, StreamGruMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.configHash = config.configHash();
        boolean avro = config.input().format() == StreamGruConfig.Format.AVRO
                || config.output().format() == StreamGruConfig.Format.AVRO;
        Map<String, Object> serdeConfig = RegistrySettings.serdeConfig(config.registry());
        this.registry = avro ? SerdeConfig.from(serdeConfig).createClient() : null;
        this.decoders = InputDecoders.of(config, registry);
        this.encoders = config.output().format() == StreamGruConfig.Format.AVRO
                ? () -> new AvroForecastEncoder(new ConfluentAvroSerializer<>(registry, serdeConfig, false),
                        new ConfluentAvroSerializer<>(registry, serdeConfig, true))
                : JsonForecastEncoder::new;
    }

    /** The configuration it runs. */
    public StreamGruConfig config() {
        return config;
    }

    /** The meters of this instance. */
    public StreamGruMetrics metrics() {
        return metrics;
    }

    public String configHash() {
        return configHash;
    }

    /** The learners' topology, writing dead letters of at most {@code deadLetters.maxRecordBytes()}. */
    public Topology learnerTopology(DeadLetters deadLetters) {
        return StreamGruTopology.learners(config, configHash, decoders, encoders, metrics, deadLetters);
    }

    /** The optimizer's topology for {@code inputPartitions} input partitions. */
    public Topology optimizerTopology(int inputPartitions) {
        return StreamGruTopology.optimizer(config, configHash, inputPartitions, metrics);
    }

    /** Creates missing topics, then starts processing (returns at once). */
    public void start() throws InterruptedException {
        start((now, before) -> { });
    }

    /**
     * Like {@link #start()}, telling {@code listener} of every change of {@link #state()}, the
     * combined state of the two applications.
     */
    public void start(KafkaStreams.StateListener listener) throws InterruptedException {
        int inputPartitions;
        Properties learnerProperties = streamsProperties();
        DeadLetters deadLetters;
        if (registry != null) {
            EnvironmentChecks.registry(registry);
        }
        try (Admin admin = admin()) {
            EnvironmentChecks.kafka(admin, config);
            InputFormatProbe.check(config, decoders);
            inputPartitions = TopicProvisioner.provision(admin, config);
            List<String> changelogs = NewStoreChangelogs.create(admin, config, learnerProperties, inputPartitions);
            if (!changelogs.isEmpty()) {
                LOG.info("created changelog topics {}", changelogs);
            }
            warnOfUnderReplicatedChangelogs(admin, learnerProperties);
            // A dead letter must fit both the topic and the producer's request limit.
            deadLetters = new DeadLetters(Math.min(TopicProvisioner.deadLetterMaxBytes(admin, config),
                    maxRequestSize(learnerProperties)));
        }
        learnerProperties.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProductionHandler.class.getName());
        learnerProperties.put(DeadLetterProductionHandler.DEAD_LETTERS, deadLetters);
        learnerProperties.put(DeadLetterProductionHandler.METRICS, metrics);
        learnerProperties.put(DeadLetterProductionHandler.TOPIC, config.deadLetterTopic());
        KafkaStreams.StateListener combined = new KafkaStreams.StateListener() {
            private KafkaStreams.State last = KafkaStreams.State.CREATED;

            @Override
            public synchronized void onChange(KafkaStreams.State ignoredNew, KafkaStreams.State ignoredOld) {
                KafkaStreams.State now = state();
                if (now != last) {
                    KafkaStreams.State before = last;
                    last = now;
                    listener.onChange(now, before);
                }
            }
        };
        Properties optimizerProperties = streamsProperties();
        optimizerProperties.put(StreamsConfig.APPLICATION_ID_CONFIG, config.optimizerAppId());
        optimizerProperties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        optimizerProperties.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 20);
        // The optimizer's commits publish its versions (under exactly-once): commit it more often than the
        // learners, so versions reach them sooner. One task, so frequent commits are cheap.
        long commitMs = Long.parseLong(String.valueOf(optimizerProperties.getOrDefault(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.MAX_VALUE)));
        optimizerProperties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Math.min(commitMs, OPTIMIZER_COMMIT_INTERVAL_MS));
        config.kafka().forEach((k, v) -> {
            if (k.startsWith("optimizer.")) {
                optimizerProperties.put(k.substring("optimizer.".length()), v);
            }
        });
        optimizer = started(new KafkaStreams(optimizerTopology(inputPartitions), optimizerProperties), combined);
        streams = started(new KafkaStreams(learnerTopology(deadLetters), learnerProperties), combined);
        if (config.streaming().failoverFencing()
                && !StreamsConfig.AT_LEAST_ONCE.equals(config.streaming().processingGuarantee())) {
            startFencing();
        }
    }

    /** One warning line if the store changelogs have fewer replicas than configured. */
    private void warnOfUnderReplicatedChangelogs(Admin admin, Properties learnerProperties) throws InterruptedException {
        String learners = learnerProperties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        List<String> changelogs = new ArrayList<>(List.of(StoreNames.changelogTopic(learners, StoreNames.KEY_STATE),
                StoreNames.changelogTopic(learners, StoreNames.LEARNER_STATE)));
        if (!config.kafka().containsKey("optimizer." + StreamsConfig.REPLICATION_FACTOR_CONFIG)) {
            // else the optimizer's changelog has a factor of its own
            changelogs.add(StoreNames.changelogTopic(config.optimizerAppId(), StoreNames.OPTIMIZER_STATE));
        }
        try {
            List<String> under = ChangelogTopics.underReplicated(admin, config, changelogs);
            if (!under.isEmpty()) {
                LOG.warn("changelog topics {} have fewer replicas than the {} configured (streaming.replication.factor"
                        + " or kafka.replication.factor): a broker's loss can lose that state; Kafka Streams never"
                        + " changes an existing topic, raise them with kafka-reassign-partitions",
                        under, ChangelogTopics.replicationFactor(config));
            }
        } catch (ExecutionException e) {
            LOG.warn("cannot check the replication of the changelog topics {}: {}", changelogs,
                    e.getCause().getMessage());
        }
    }

    /** Checks the groups every {@value #FENCING_INTERVAL_MS} ms, on one daemon thread ({@link DeadInstanceFencer}). */
    private void startFencing() {
        if (config.kafka().containsKey("client.id")) {
            LOG.warn("kafka.client.id is set: the survivors cannot tell this instance's transactional ids from its client "
                    + "ids, so a killed instance's open transaction ends at its timeout (streaming.failover.fencing)");
            return;
        }
        fencingAdmin = admin();
        DeadInstanceFencer fencer = new DeadInstanceFencer(fencingAdmin, ClientProperties.producer(config),
                List.of(config.appId(), config.optimizerAppId()), id -> metrics.transactionFenced());
        fencing = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, config.appId() + "-fencer");
            t.setDaemon(true);
            return t;
        });
        fencing.scheduleWithFixedDelay(fencer::check, 0, FENCING_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    private Admin admin() {
        try {
            return Admin.create(ClientProperties.admin(config));
        } catch (KafkaException e) { // e.g. no resolvable bootstrap server, a trust store that cannot be read
            throw EnvironmentChecks.kafkaFailure(e.getCause() != null ? e.getCause() : e,
                    config.kafka().get("bootstrap.servers"), 0);
        }
    }

    /**
     * Why the instance stopped itself, if it did: an environment failure met while processing (the
     * registry refusing the credentials or unreachable). The learner stopped before committing past
     * the record it could not decode or encode; nothing was dead-lettered for it.
     */
    public Optional<EnvironmentException> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** The producers' {@code max.request.size} in these Streams settings (Kafka's default if unset). */
    private static int maxRequestSize(Properties p) {
        Object v = p.getOrDefault(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                p.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024));
        return Integer.parseInt(String.valueOf(v));
    }

    private KafkaStreams started(KafkaStreams app, KafkaStreams.StateListener listener) {
        // A failure that is not the record's fault (e.g. the registry briefly unreachable): replace the
        // thread, which resumes from the last commit, instead of stopping the instance.
        app.setUncaughtExceptionHandler(e -> {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof EnvironmentException env) {
                    // Not the record's fault, and retrying would not help until a person acts: stop this
                    // client; the thread's open transaction is aborted, so no offset passes the record.
                    failure.compareAndSet(null, env);
                    LOG.error("stopping: {}", env.getMessage());
                    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                }
            }
            metrics.streamThreadReplaced();
            LOG.error("stream thread failed; replacing it (processing resumes from the last commit)", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        app.setStateListener(listener);
        KafkaStreamsMetrics meters = new KafkaStreamsMetrics(app);
        meters.bindTo(metrics.registry());
        clientMeters.add(meters);
        app.start();
        return app;
    }

    /**
     * The combined state: ERROR or a shutdown state if either application is in one, RUNNING when
     * both run, else the learners' state (CREATED, REBALANCING).
     */
    public KafkaStreams.State state() {
        if (streams == null || optimizer == null) {
            return KafkaStreams.State.CREATED;
        }
        KafkaStreams.State learners = streams.state();
        KafkaStreams.State optimizing = optimizer.state();
        for (KafkaStreams.State worst : List.of(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR,
                KafkaStreams.State.NOT_RUNNING, KafkaStreams.State.PENDING_SHUTDOWN)) {
            if (learners == worst || optimizing == worst) {
                return worst;
            }
        }
        return learners == KafkaStreams.State.RUNNING && optimizing != KafkaStreams.State.RUNNING
                ? optimizing : learners;
    }

    /**
     * Why this instance is not healthy, if it is not: either application in ERROR (or on its way
     * there), or the instance shutting down. Empty while it is alive, starting included.
     */
    public Optional<String> unhealthy() {
        KafkaStreams.State state = state();
        if (closing || state == KafkaStreams.State.PENDING_SHUTDOWN || state == KafkaStreams.State.NOT_RUNNING) {
            return Optional.of("shutting down");
        }
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR) {
            return Optional.of("Kafka Streams state is " + state
                    + failure().map(f -> ": " + f.getMessage()).orElse(""));
        }
        return Optional.empty();
    }

    /**
     * Why this instance is not ready, if it is not: ready means both applications RUNNING and a model
     * version taken by one of its learner tasks or its optimizer (an instance with no task assigned
     * has none).
     */
    public Optional<String> notReady() {
        Optional<String> unhealthy = unhealthy();
        if (unhealthy.isPresent()) {
            return unhealthy;
        }
        KafkaStreams.State state = state();
        if (state != KafkaStreams.State.RUNNING) {
            return Optional.of("Kafka Streams state is " + state);
        }
        if (!metrics.modelLoaded()) {
            return Optional.of("no model loaded yet (no learner task or optimizer of this instance has started)");
        }
        return Optional.empty();
    }

    /** The learners' Kafka Streams application. */
    public KafkaStreams streams() {
        return streams;
    }

    /** The optimizer's Kafka Streams application. */
    public KafkaStreams optimizerStreams() {
        return optimizer;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /**
     * Stops processing, committing what was processed, and leaves the consumer group so the
     * remaining (or restarted) instances take over at once instead of after the session timeout;
     * waits at most {@code timeout}.
     */
    public void close(Duration timeout) {
        closing = true;
        // The fencer first: this instance leaving its groups is no death, and its own transactions
        // are committed by the close below, not to be ended by its own fencer.
        if (fencing != null) {
            fencing.shutdownNow();
            fencingAdmin.close(Duration.ofSeconds(5));
            fencing = null;
        }
        // Learners first: their last gradient batches are committed before the optimizer stops.
        for (KafkaStreams app : new KafkaStreams[] {streams, optimizer}) {
            if (app != null) {
                app.close(CloseOptions.timeout(timeout)
                        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            }
        }
        streams = null;
        optimizer = null;
        clientMeters.forEach(KafkaStreamsMetrics::close);
        clientMeters.clear();
        if (registry != null) {
            registry.close();
        }
    }

    /** Kafka Streams settings: StreamGRU's, then every {@code kafka.*} setting on top. */
    Properties streamsProperties() {
        Properties p = new Properties();
        int maxBytes = config.streaming().maxMessageBytes();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.appId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.streaming().processingGuarantee());
        // Kafka Streams' changelogs as durable as the topics StreamGRU creates (Kafka's own default is the
        // broker's default.replication.factor, 1 unless configured): a key's state is worth a forecast.
        int replication = ChangelogTopics.replicationFactor(config);
        if (replication > 0) {
            p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replication);
        }
        // Kafka 5 will do this by default; Kafka 4 warns at every start until it is set.
        p.put("processing.exception.handler.global.enabled", "true");
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, EnvironmentFailureHandler.class.getName());
        // Model versions and gradient batches are as large as the model.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), maxBytes);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), maxBytes);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), Math.max(maxBytes, 52_428_800));
        // New model versions and gradient batches should arrive in milliseconds, not after a fetch has
        // waited out its 500 ms default: that wait is version lag (staleness) for every batch in flight.
        p.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 20);
        // Failover: a killed instance's partitions move to the others once its session expires, 6 s
        // (the broker's minimum) instead of Kafka's 45 s; heartbeats every 1.5 s keep live members in.
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, FAILOVER_SESSION_TIMEOUT_MS);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, FAILOVER_SESSION_TIMEOUT_MS / 4);
        if (!StreamsConfig.AT_LEAST_ONCE.equals(config.streaming().processingGuarantee())) {
            // The transaction timeout stays Kafka Streams' 10 s: a killed instance's open transaction is ended
            // by the survivors as soon as its session expires (DeadInstanceFencer). A shorter timeout would also
            // end live instances' transactions during a broker restart: at 5 s the fault suite then lost a
            // partition's forecasts or saw a model version twice (docs/SCALING.md).
            // A forecast becomes visible when its transaction commits, and a gradient batch reaches the
            // optimizer then too: 50 ms instead of Kafka's 100 ms halves that wait (measured at 1,000
            // records/s: p50 35 vs 60 ms, p99 64-154 vs 109-432 ms, stale batches 3-7 % vs 10-17 %;
            // docs/benchmarks-e2e.md, Latency).
            p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, LEARNER_EXACTLY_ONCE_COMMIT_INTERVAL_MS);
        }
        config.kafka().forEach((k, v) -> {
            if (!k.startsWith("optimizer.")) {
                p.put(k, v);
            }
        });
        return p;
    }
}
