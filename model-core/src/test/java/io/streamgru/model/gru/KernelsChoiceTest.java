package io.streamgru.model.gru;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Kernels} chooses once per JVM by how the JVM was started: each case runs a JVM of its own
 * ({@link #main} prints the choice). Without the incubator module the vector class is never even
 * loaded (the JVM's class-loading log), and such a JVM prints nothing on stderr.
 */
class KernelsChoiceTest {

    @TempDir
    Path dir;

    @Test
    void withoutTheModuleTheScalarKernelsRunAndSaySoQuietly() throws Exception {
        Result r = run(List.of());
        assertThat(r.stdout).startsWith("scalar (start the JVM with --add-modules jdk.incubator.vector");
        assertThat(r.classesLoaded).doesNotContain(VECTOR_CLASS);
        assertThat(r.stderr).isEmpty();
    }

    @Test
    void withTheModuleTheVectorKernelsRun() throws Exception {
        Result r = run(List.of("--add-modules", "jdk.incubator.vector"));
        assertThat(r.stdout).startsWith("vector (jdk.incubator.vector, ");
        assertThat(r.classesLoaded).contains(VECTOR_CLASS);
        assertThat(r.stderr).contains("WARNING: Using incubator modules: jdk.incubator.vector");
    }

    @Test
    void thePropertyForcesTheScalarKernels() throws Exception {
        Result r = run(List.of("--add-modules", "jdk.incubator.vector", "-D" + Kernels.PROPERTY + "=scalar"));
        assertThat(r.stdout).startsWith("scalar").doesNotContain("start the JVM");
        assertThat(r.classesLoaded).doesNotContain(VECTOR_CLASS);
    }

    /** Prints {@link Kernels#description()}. */
    public static void main(String[] args) {
        System.out.println(Kernels.description());
    }

    private static final String VECTOR_CLASS = "io.streamgru.model.gru.VectorProductKernels";

    /** What {@link #main} printed, the JVM's stderr, and the class-loading log (-Xlog:class+load). */
    private record Result(String stdout, String stderr, String classesLoaded) {
    }

    private Result run(List<String> jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        Path classes = dir.resolve("classes.txt");
        command.add("-Xlog:class+load=info:file=" + classes);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelsChoiceTest.class.getName()));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the JVM finished").isTrue();
        assertThat(p.exitValue()).as("exit code; stderr: %s", Files.readString(err)).isZero();
        return new Result(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8),
                Files.readString(classes, StandardCharsets.UTF_8));
    }
}
