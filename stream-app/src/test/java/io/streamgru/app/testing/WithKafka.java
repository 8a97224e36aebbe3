package io.streamgru.app.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an integration test class that needs a Kafka broker: its constructor, lifecycle and test
 * methods may declare a {@link KafkaTestCluster} parameter.
 *
 * <pre>{@code
 * @WithKafka
 * class ForecastTopologyIT {
 *     @Test
 *     void forecastsEveryReading(KafkaTestCluster kafka) {
 *         String input = kafka.newTopic("readings", 2);
 *         kafka.produceStrings(input, List.of(KeyValue.pair("sensor-1", "20.5")));
 *         ...
 *         assertThat(kafka.consumeStrings(output, 1, Duration.ofSeconds(30))).hasSize(1);
 *     }
 * }
 * }</pre>
 *
 * <p>One broker serves every test class of the JVM run (see {@link KafkaBrokerExtension}), so
 * tests create their own topics with {@link KafkaTestCluster#newTopic} rather than fixed names.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(KafkaBrokerExtension.class)
public @interface WithKafka {
}
