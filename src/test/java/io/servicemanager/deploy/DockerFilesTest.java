package io.servicemanager.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/Dockerfile and docker/compose.yaml, checked without a Docker engine (there is none on the
 * build machines): what they copy and mount exists, and the settings that keep the container safe hold.
 * The image build itself runs `mvn -B -q package -DskipTests`, the command every build here runs.
 */
class DockerFilesTest {
  static final Path DOCKERFILE = Path.of("docker/Dockerfile");
  static final Path COMPOSE = Path.of("docker/compose.yaml");

  /** Instructions with their continuation lines joined, comments dropped. */
  static List<String> instructions() throws IOException {
    List<String> result = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(DOCKERFILE)) {
      if (line.strip().startsWith("#") || line.isBlank()) {
        continue;
      }
      current.append(line.strip());
      if (line.endsWith("\\")) {
        current.setLength(current.length() - 1);
        current.append(' ');
      } else {
        result.add(current.toString());
        current.setLength(0);
      }
    }
    return result;
  }

  @Test
  @DisplayName("Every file the image build copies from the context exists and is not excluded by .dockerignore")
  void copiedPathsExist() throws IOException {
    List<String> ignored = Files.readAllLines(Path.of(".dockerignore")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    List<String> sources = new ArrayList<>();
    for (String instruction : instructions()) {
      if (instruction.startsWith("COPY ") && !instruction.contains("--from=")) {
        String[] words = instruction.split("\\s+");
        sources.addAll(Arrays.asList(words).subList(1, words.length - 1));
      }
    }
    assertThat(sources).containsExactly("pom.xml", "src", "webroot", "conf/jvm.options", "conf/config.yaml",
        "conf/services.yaml");
    for (String source : sources) {
      assertThat(Path.of(source)).exists();
      assertThat(ignored).noneMatch(pattern -> source.startsWith(pattern.replace("/", "")));
    }
  }

  @Test
  @DisplayName("A Maven stage builds the shaded jar; the runtime stage runs it on a JRE as an unprivileged user with a health check")
  void multiStageNonRoot() throws IOException {
    List<String> instructions = instructions();
    assertThat(instructions).filteredOn(i -> i.startsWith("FROM "))
        .containsExactly("FROM maven:3.9-eclipse-temurin-17 AS build", "FROM eclipse-temurin:17-jre");
    assertThat(instructions).contains("RUN mvn -B -q package -DskipTests",
        "COPY --from=build /src/target/service-manager.jar /app/service-manager.jar");
    assertThat(Files.readString(Path.of("pom.xml"))).contains("<finalName>service-manager</finalName>");
    assertThat(instructions).filteredOn(i -> i.startsWith("USER ")).containsExactly("USER service-manager");
    assertThat(instructions).anyMatch(i -> i.startsWith("HEALTHCHECK ") && i.contains("GET /api/health"));
    assertThat(instructions).contains("EXPOSE 8080");
    assertThat(instructions).filteredOn(i -> i.startsWith("ENTRYPOINT ")).singleElement().asString()
        .contains("\"-jar\", \"/app/service-manager.jar\"");
  }

  @Test
  @DisplayName("compose publishes on the host's loopback only, listens on 0.0.0.0 inside, and mounts the host's system bus socket")
  @SuppressWarnings("unchecked")
  void composeExample() throws IOException {
    Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE));
    Map<String, Object> service = (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get("service-manager");
    Map<String, Object> build = (Map<String, Object>) service.get("build");
    assertThat(COMPOSE.getParent().resolve((String) build.get("context")).resolve((String) build.get("dockerfile")).normalize())
        .isEqualTo(DOCKERFILE);
    assertThat((List<String>) service.get("ports")).isNotEmpty().allMatch(p -> p.startsWith("127.0.0.1:"));
    assertThat((Map<String, Object>) service.get("environment")).containsEntry("SERVICE_MANAGER_HTTP_HOST", "0.0.0.0");
    List<String> volumes = (List<String>) service.get("volumes");
    assertThat(volumes).contains("/run/dbus/system_bus_socket:/run/dbus/system_bus_socket:ro", "../conf:/app/conf:ro");
    assertThat(COMPOSE.getParent().resolve("../conf/config.yaml").normalize()).exists();
    assertThat(service).containsEntry("read_only", true).containsEntry("cap_drop", List.of("ALL"));
    assertThat((List<String>) service.get("security_opt")).contains("no-new-privileges:true");
  }
}
