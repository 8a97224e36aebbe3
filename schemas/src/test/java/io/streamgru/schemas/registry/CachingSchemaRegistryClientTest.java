package io.streamgru.schemas.registry;

import io.streamgru.schemas.registry.server.LocalSchemaRegistryServer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Repeated calls are answered from the cache: counted on the server, not assumed. */
class CachingSchemaRegistryClientTest {

    private static final Schema READING = SchemaBuilder.record("Reading").namespace("t").fields()
            .requiredString("id").endRecord();

    private LocalSchemaRegistryServer server;

    @BeforeEach
    void start() {
        server = LocalSchemaRegistryServer.builder().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CachingSchemaRegistryClient client(Duration latestTtl) {
        return new CachingSchemaRegistryClient(new HttpSchemaRegistryClient(RegistryClientConfig.of(server.url())),
                100, latestTtl);
    }

    @Test
    void aSecondRegisterMakesNoRequest() {
        CachingSchemaRegistryClient client = client(Duration.ofSeconds(-1));
        int id = client.register("r-value", READING);
        long before = server.requestCount();
        assertThat(client.register("r-value", READING)).isEqualTo(id);
        assertThat(server.requestCount()).isEqualTo(before);
    }

    @Test
    void aRegisteredSchemaIsKnownByIdAndForLookupWithoutRequests() {
        CachingSchemaRegistryClient client = client(Duration.ofSeconds(-1));
        int id = client.register("r-value", READING);
        long before = server.requestCount();
        assertThat(client.getById(id)).isEqualTo(READING);
        assertThat(client.lookup("r-value", READING)).isEqualTo(id);
        assertThat(server.requestCount()).isEqualTo(before);
    }

    @Test
    void getByIdAsksOnceThenNeverAgain() {
        int id = server.registry().register("r-value", READING).id();
        CachingSchemaRegistryClient client = client(Duration.ofSeconds(-1));
        client.getById(id);
        client.getById(id);
        client.getById(id);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void failuresAreNotCached() {
        CachingSchemaRegistryClient client = client(Duration.ofSeconds(-1));
        assertThatThrownBy(() -> client.getById(1)).isInstanceOf(SchemaNotFoundException.class);
        int id = server.registry().register("r-value", READING).id();
        assertThat(client.getById(id)).isEqualTo(READING);
    }

    @Test
    void latestIsCachedForItsTtlAndThenAskedAgain() {
        server.registry().register("r-value", READING);
        AtomicLong now = new AtomicLong();
        CachingSchemaRegistryClient client = new CachingSchemaRegistryClient(
                new HttpSchemaRegistryClient(RegistryClientConfig.of(server.url())), 100, Duration.ofSeconds(30), now::get);
        client.latest("r-value");
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        client.latest("r-value");
        assertThat(server.requestCount()).isEqualTo(1);
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        client.latest("r-value");
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void aZeroTtlNeverCachesLatest() {
        server.registry().register("r-value", READING);
        CachingSchemaRegistryClient client = client(Duration.ZERO);
        client.latest("r-value");
        client.latest("r-value");
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void capacityBoundsEachCache() {
        LruCache<Integer, String> cache = new LruCache<>(2);
        cache.put(1, "a");
        cache.put(2, "b");
        cache.get(1);
        cache.put(3, "c");
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get(2)).as("least recently used goes first").isEmpty();
        assertThat(cache.get(1)).contains("a");
    }
}
