package dev.framestream.app.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, found from the test's working directory (the module, under Maven). */
final class Repository {

    private Repository() {
    }

    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("docker-compose.yml")) && Files.exists(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (with docker-compose.yml and mvnw) above " + Path.of("").toAbsolutePath());
    }
}
