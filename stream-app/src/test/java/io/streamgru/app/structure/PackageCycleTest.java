package io.streamgru.app.structure;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.cli.StreamGruCommand;
import io.streamgru.model.gru.GruModel;
import io.streamgru.schemas.serde.ConfluentAvroSerde;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No StreamGRU package uses, directly or through others, a package that uses it back: data flows one
 * way (config -> topology -> processors -> model-core), and a package can be understood, tested and
 * moved without the ones that use it. Checks the compiled main classes of model-core, schemas and
 * stream-app (the modules on this test's classpath; bench is not, and nothing depends on bench), and
 * their sources' imports (a constant the compiler copied leaves no use in the class).
 */
class PackageCycleTest {

    @Test
    void thePackagesOfModelCoreSchemasAndStreamAppFormNoCycle() throws Exception {
        List<Path> modules = Stream.of(StreamGruCommand.class, GruModel.class, ConfluentAvroSerde.class)
                .map(PackageGraph::locationOf).distinct().toList();
        PackageGraph graph = PackageGraph.ofClasses("io.streamgru.", modules);
        // Surefire runs in stream-app's directory; the other modules' sources are beside it.
        Path reactor = Path.of("").toAbsolutePath().getParent();
        List<Path> sources = Stream.of("model-core", "schemas", "stream-app")
                .map(m -> reactor.resolve(m).resolve("src/main/java")).toList();
        assertThat(sources).allSatisfy(root -> assertThat(root).isDirectory());
        graph.addSourceImports("io.streamgru.", sources);

        assertThat(graph.packages()).as("packages jdeps found in %s", modules)
                .contains("io.streamgru.app.cli", "io.streamgru.app.topology", "io.streamgru.model.gru",
                        "io.streamgru.schemas.serde");
        List<String> cycles = graph.cycles().stream().map(graph::describe).toList();
        assertThat(cycles).withFailMessage("package cycles (each with the class use behind every step):%n%s",
                String.join("\n", cycles)).isEmpty();
    }
}
