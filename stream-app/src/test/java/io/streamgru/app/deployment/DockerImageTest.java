package io.streamgru.app.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * {@code docker build -f docker/Dockerfile .} from this checkout, and the image it makes: StreamGRU
 * starts (its help exits 0) as a user other than root who can write its state directory. Needs a
 * Docker engine: without one it is skipped, saying so ({@link DockerFilesTest} checks the files
 * always).
 */
class DockerImageTest {

    private static ImageFromDockerfile image;

    /** Each test, so each reports the skip and its reason; the image is described once. */
    @BeforeEach
    void needsDocker() {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine here (Testcontainers found none): the image is not built; DockerFilesTest checks "
                        + "the Dockerfile and compose file without one");
        if (image != null) {
            return;
        }
        Path root = Repository.root();
        // The checkout as the build context, its .dockerignore applied, as `docker build -f docker/Dockerfile .`.
        image = new ImageFromDockerfile("streamgru-image-test", true)
                .withFileFromPath(".", root)
                .withDockerfile(root.resolve("docker").resolve("Dockerfile"));
    }

    @Test
    void theImageRunsStreamGru() {
        try (GenericContainer<?> help = new GenericContainer<>(image).withCommand("--help")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(20)))) {
            help.start();
            assertThat(help.getLogs()).contains("Usage: streamgru", "run", "demo", "model");
        }
    }

    @Test
    void itRunsAsANonRootUserWhoOwnsAndCanWriteTheStateDirectory() {
        try (GenericContainer<?> shell = new GenericContainer<>(image)
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("sh", "-c",
                        "echo uid=$(id -u) owner=$(stat -c %U /app/state) && touch /app/state/probe && echo writable"))
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(20)))) {
            shell.start();
            String out = shell.getLogs();
            assertThat(out).contains("owner=streamgru", "writable").doesNotContain("uid=0 ");
        }
    }
}
