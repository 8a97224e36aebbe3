package io.streamgru.schemas.registry.memory;

import io.streamgru.schemas.registry.CompatibilityLevel;
import io.streamgru.schemas.registry.IncompatibleSchemaException;
import io.streamgru.schemas.registry.RegisteredSchema;
import io.streamgru.schemas.registry.SchemaNotFoundException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-memory store follows the Schema Registry's rules for ids, versions and compatibility. */
class InMemorySchemaRegistryTest {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    private static final Schema V1 = SchemaBuilder.record("Reading").namespace("t").fields()
            .requiredString("id").endRecord();
    private static final Schema V2_WITH_DEFAULT = SchemaBuilder.record("Reading").namespace("t").fields()
            .requiredString("id").name("unit").type().stringType().stringDefault("C").endRecord();
    private static final Schema V2_REQUIRED = SchemaBuilder.record("Reading").namespace("t").fields()
            .requiredString("id").requiredString("unit").endRecord();

    @Test
    void idsAreGlobalAndOneSchemaHasOneIdInEverySubject() {
        RegisteredSchema a = registry.register("a-value", V1);
        RegisteredSchema b = registry.register("b-value", V1);
        RegisteredSchema c = registry.register("a-value", V2_WITH_DEFAULT);
        assertThat(a.id()).isEqualTo(1);
        assertThat(b.id()).isEqualTo(1);
        assertThat(b.version()).isEqualTo(1);
        assertThat(c.id()).isEqualTo(2);
        assertThat(c.version()).isEqualTo(2);
        assertThat(registry.schemaById(2)).isEqualTo(V2_WITH_DEFAULT);
    }

    @Test
    void registeringTheSameSchemaAgainAddsNoVersion() {
        registry.register("s", V1);
        registry.register("s", V1);
        assertThat(registry.versions("s")).containsExactly(1);
    }

    @Test
    void lookupFindsOnlyWhatIsRegisteredUnderTheSubject() {
        registry.register("s", V1);
        assertThat(registry.lookup("s", V1).id()).isEqualTo(1);
        assertThatThrownBy(() -> registry.lookup("s", V2_WITH_DEFAULT))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
        assertThatThrownBy(() -> registry.lookup("other", V1))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
    }

    @Test
    void missingThingsHaveTheRegistrysErrorCodes() {
        registry.register("s", V1);
        assertThatThrownBy(() -> registry.schemaById(99)).isInstanceOfSatisfying(SchemaNotFoundException.class,
                e -> assertThat(e.errorCode()).isEqualTo(40403));
        assertThatThrownBy(() -> registry.latest("nope")).isInstanceOfSatisfying(SchemaNotFoundException.class,
                e -> assertThat(e.errorCode()).isEqualTo(40401));
        assertThatThrownBy(() -> registry.version("s", 2)).isInstanceOfSatisfying(SchemaNotFoundException.class,
                e -> assertThat(e.errorCode()).isEqualTo(40402));
    }

    @Test
    void backwardIsTheDefaultAndRejectsANewFieldWithoutDefault() {
        registry.register("s", V1);
        assertThatThrownBy(() -> registry.register("s", V2_REQUIRED))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("BACKWARD", "unit");
                });
        assertThat(registry.register("s", V2_WITH_DEFAULT).version()).isEqualTo(2);
    }

    @Test
    void forwardRejectsRemovingAFieldOldReadersNeed() {
        registry.setCompatibility("s", CompatibilityLevel.FORWARD);
        registry.register("s", V2_REQUIRED);
        assertThatThrownBy(() -> registry.register("s", V1)).isInstanceOf(IncompatibleSchemaException.class);
        assertThat(registry.compatibility("other")).isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @Test
    void transitiveLevelsCheckEveryEarlierVersionNotJustTheLatest() {
        registry.setCompatibility(CompatibilityLevel.NONE);
        registry.register("s", V1);
        registry.register("s", V2_REQUIRED);
        // Reads v2 (same fields) but not v1 (no 'unit', no default): only the transitive rule sees it.
        Schema v3 = SchemaBuilder.record("Reading").namespace("t").doc("v3").fields()
                .requiredString("id").requiredString("unit").endRecord();
        registry.setCompatibility("s", CompatibilityLevel.BACKWARD_TRANSITIVE);
        assertThatThrownBy(() -> registry.register("s", v3)).isInstanceOf(IncompatibleSchemaException.class);
        registry.setCompatibility("s", CompatibilityLevel.BACKWARD);
        assertThat(registry.register("s", v3).version()).isEqualTo(3);
    }

    @Test
    void noneAcceptsAnything() {
        registry.setCompatibility(CompatibilityLevel.NONE);
        registry.register("s", V1);
        assertThat(registry.register("s", Schema.create(Schema.Type.STRING)).version()).isEqualTo(2);
    }

    @Test
    void mockRegistriesShareAScopeOnlyThroughTheSameHolder() {
        MockRegistries shared = new MockRegistries();
        shared.client("mock://demo").register("s", V1);
        assertThat(shared.client("mock://demo").latest("s").schema()).isEqualTo(V1);
        assertThat(shared.client("mock://other").subjects()).isEmpty();
        assertThat(new MockRegistries().client("mock://demo").subjects()).isEmpty();
        shared.drop("demo");
        assertThat(shared.client("mock://demo").subjects()).isEmpty();
    }

    @Test
    void mockUrlsNameExactlyOneScope() {
        assertThat(MockRegistries.scopeOf("mock://demo")).contains("demo");
        assertThat(MockRegistries.scopeOf("mock://demo/")).contains("demo");
        assertThat(MockRegistries.scopeOf("mock://")).isEmpty();
        assertThat(MockRegistries.scopeOf("http://x")).isEmpty();
        assertThatThrownBy(() -> new MockRegistries().forUrl("http://x")).isInstanceOf(IllegalArgumentException.class);
    }
}
