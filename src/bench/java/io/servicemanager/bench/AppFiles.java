package io.servicemanager.bench;

import io.servicemanager.config.AppConfig;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary folder with the services.yaml of a catalogue and room for the history file, so the
 * manager runs as deployed — its config watcher scanning the file — and writes nothing into the tree.
 */
final class AppFiles implements AutoCloseable {
  private final Path dir;

  private AppFiles(Path dir) {
    this.dir = dir;
  }

  static AppFiles create(ServiceCatalogue catalogue) {
    try {
      Path dir = Files.createTempDirectory("sm-bench-");
      StringBuilder yaml = new StringBuilder("version: 1\nservices:\n");
      for (ServiceDefinition s : catalogue.all()) {
        yaml.append("  \"").append(s.name()).append("\":\n")
            .append("    display_name: \"").append(s.displayName()).append("\"\n")
            .append("    description: \"").append(s.description()).append("\"\n")
            .append("    permissions_required: ").append(s.permission().value()).append('\n')
            .append("    status_check_allowed: ").append(s.statusCheckAllowed()).append('\n');
      }
      Files.writeString(dir.resolve("services.yaml"), yaml);
      return new AppFiles(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** HTTP on a free loopback port, systemd at {@code bus}. */
  AppConfig config(String bus) {
    AppConfig config = new AppConfig("127.0.0.1", 0, bus, dir.resolve("services.yaml"), dir.resolve("history.jsonl"));
    io.servicemanager.testing.TestConfigs.writeUsers(config.auth().usersFile());
    return config;
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("bench: could not delete " + dir + ": " + e);
    }
  }
}
