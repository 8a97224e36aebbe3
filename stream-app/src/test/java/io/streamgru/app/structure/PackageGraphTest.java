package io.streamgru.app.structure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a package graph finds and reports cycles, on graphs made by hand. */
class PackageGraphTest {

    @Test
    void usesThatOnlyPointOneWayAreNoCycleEvenWhenTheyMeetAgain() {
        PackageGraph graph = new PackageGraph();
        graph.addClassUse("x.top.A", "x.left.B");
        graph.addClassUse("x.top.A", "x.right.C");
        graph.addClassUse("x.left.B", "x.bottom.D");
        graph.addClassUse("x.right.C", "x.bottom.D");

        assertThat(graph.packages()).containsExactly("x.bottom", "x.left", "x.right", "x.top");
        assertThat(graph.cycles()).isEmpty();
    }

    @Test
    void importsOfTheSourcesCountToo(@TempDir Path sources) throws Exception {
        // x.b uses x.a only through a constant, which the compiler copies: only the import shows it.
        write(sources.resolve("x/a/A.java"), "package x.a;\n\nimport x.b.B;\n\nclass A { B b; }\n");
        write(sources.resolve("x/b/B.java"), "package x.b;\n\nimport static x.a.Names.FIRST;\n"
                + "import x.c.Outer.Inner;\nimport java.util.List;\n\nclass B { }\n");
        PackageGraph graph = new PackageGraph();
        graph.addSourceImports("x.", List.of(sources));

        assertThat(graph.packages()).containsExactly("x.a", "x.b", "x.c");
        assertThat(graph.cycles()).extracting(PackageGraph.Cycle::path).containsExactly(List.of("x.a", "x.b", "x.a"));
        assertThat(graph.describe(graph.cycles().get(0))).contains("x.a.A -> x.b.B", "x.b.B -> x.a.Names");
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void usesInsideOnePackageAreNoCycle() {
        PackageGraph graph = new PackageGraph();
        graph.addClassUse("x.a.A", "x.a.B");
        graph.addClassUse("x.a.B", "x.a.A");

        assertThat(graph.cycles()).isEmpty();
    }

    @Test
    void aCycleThroughThreePackagesIsReportedWithTheClassesBehindEachStep() {
        PackageGraph graph = new PackageGraph();
        graph.addClassUse("x.a.A", "x.b.B");
        graph.addClassUse("x.b.B", "x.c.C");
        graph.addClassUse("x.c.C$Inner", "x.a.A");
        graph.addClassUse("x.d.D", "x.a.A"); // uses the cycle, is not in it

        assertThat(graph.cycles()).extracting(PackageGraph.Cycle::path)
                .containsExactly(List.of("x.a", "x.b", "x.c", "x.a"));
        assertThat(graph.describe(graph.cycles().get(0))).isEqualTo("""
                packages [x.a, x.b, x.c], e.g. x.a -> x.b -> x.c -> x.a
                    x.a.A -> x.b.B
                    x.b.B -> x.c.C
                    x.c.C$Inner -> x.a.A""");
    }

    @Test
    void separateCyclesAreEachReportedWithAllTheirPackagesAndTheShortestPath() {
        PackageGraph graph = new PackageGraph();
        graph.addClassUse("x.a.A", "x.b.B");
        graph.addClassUse("x.b.B", "x.a.A");
        graph.addClassUse("x.b.B", "x.c.C");
        graph.addClassUse("x.c.C", "x.a.A");
        graph.addClassUse("y.p.P", "y.q.Q");
        graph.addClassUse("y.q.Q", "y.p.P");

        assertThat(graph.cycles()).containsExactlyInAnyOrder(
                new PackageGraph.Cycle(Set.of("x.a", "x.b", "x.c"), List.of("x.a", "x.b", "x.a")),
                new PackageGraph.Cycle(Set.of("y.p", "y.q"), List.of("y.p", "y.q", "y.p")));
    }
}
