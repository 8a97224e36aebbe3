package io.streamgru.schemas.registry;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Confluent's client keys mean the same here. */
class RegistryClientConfigTest {

    @Test
    void defaultsMatchConfluentsWhereTheyExist() {
        RegistryClientConfig config = RegistryClientConfig.of("http://sr:8081");
        assertThat(config.urls()).containsExactly(URI.create("http://sr:8081"));
        assertThat(config.maxRetries()).isEqualTo(3);
        assertThat(config.retryWait()).isEqualTo(Duration.ofMillis(1000));
        assertThat(config.retryMaxWait()).isEqualTo(Duration.ofMillis(2000));
        assertThat(config.latestCacheTtl().isNegative()).isTrue();
        assertThat(config.userInfo()).isEmpty();
    }

    @Test
    void readsStringsAndTypedValuesAlike() {
        RegistryClientConfig config = RegistryClientConfig.from(Map.of(
                RegistryClientConfig.URL, "https://a:1, https://b:2/prefix",
                RegistryClientConfig.MAX_RETRIES, "5",
                RegistryClientConfig.RETRIES_WAIT_MS, 10,
                RegistryClientConfig.LATEST_CACHE_TTL_SEC, 60L,
                RegistryClientConfig.CREDENTIALS_SOURCE, "user_info",
                RegistryClientConfig.USER_INFO_ALIAS, "u:p"));
        assertThat(config.urls()).containsExactly(URI.create("https://a:1"), URI.create("https://b:2/prefix"));
        assertThat(config.maxRetries()).isEqualTo(5);
        assertThat(config.retryWait()).isEqualTo(Duration.ofMillis(10));
        assertThat(config.latestCacheTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.userInfo()).contains("u:p");
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> RegistryClientConfig.from(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> RegistryClientConfig.of("ftp://x"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> RegistryClientConfig.from(Map.of(RegistryClientConfig.URL, "http://x",
                RegistryClientConfig.MAX_RETRIES, "-1"))).hasMessageContaining("max.retries");
        assertThatThrownBy(() -> RegistryClientConfig.from(Map.of(RegistryClientConfig.URL, "http://x",
                RegistryClientConfig.CREDENTIALS_SOURCE, "USER_INFO"))).hasMessageContaining("basic.auth.user.info");
        assertThatThrownBy(() -> RegistryClientConfig.from(Map.of(RegistryClientConfig.URL, "http://x",
                RegistryClientConfig.CREDENTIALS_SOURCE, "SASL_INHERIT"))).hasMessageContaining("URL, USER_INFO");
    }
}
