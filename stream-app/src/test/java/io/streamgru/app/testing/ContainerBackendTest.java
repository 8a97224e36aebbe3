package io.streamgru.app.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamgru.app.embedded.SingleNodeBrokerSettings;
import org.junit.jupiter.api.Test;

/** How the container backend hands the single-node broker settings to the apache/kafka image. */
class ContainerBackendTest {

    @Test
    void namesBrokerConfigsAsTheImagesEnvironmentVariables() {
        assertThat(ContainerBackend.environmentVariable("transaction.state.log.min.isr"))
                .isEqualTo("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR");
        assertThat(ContainerBackend.environmentVariable("message.max.bytes"))
                .isEqualTo("KAFKA_MESSAGE_MAX_BYTES");
    }

    @Test
    void canPassEverySingleNodeSetting() {
        SingleNodeBrokerSettings.brokerConfigs().keySet()
                .forEach(key -> assertThat(ContainerBackend.environmentVariable(key)).startsWith("KAFKA_"));
    }

    @Test
    void refusesKeysTheImageWouldMisread() {
        assertThatThrownBy(() -> ContainerBackend.environmentVariable("some_key"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
