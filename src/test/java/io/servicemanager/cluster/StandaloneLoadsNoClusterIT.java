package io.servicemanager.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without a cluster key nothing of the fleet runs: the packaged jar loads not one Hazelcast class, not
 * one of the fleet code's.
 */
class StandaloneLoadsNoClusterIT {
  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/sleeper.service");

  @TempDir Path dir;

  @Test
  @DisplayName("A standalone server serving its dashboard has loaded no Hazelcast class and none of io.servicemanager.cluster")
  void noClusterClasses() throws Exception {
    Files.writeString(dir.resolve("services.yaml"), "services:\n  sleeper:\n    display_name: Sleeper\n"
        + "    description: sleeps\n    permissions_required: all\n    status_check_allowed: true\n");
    TestConfigs.writeUsers(dir.resolve("users.yaml"));
    Files.writeString(dir.resolve("config.yaml"), "http:\n  port: 0\nsystemd:\n  bus: \"" + systemd.busAddress() + "\"\n"
        + "history_file: data/history.jsonl\ninsight:\n  database: data/servicemanager.db\n"
        + "config_history:\n  dir: data/config-history\nauth:\n  secret_file: data/secret.key\n");
    Path classes = dir.resolve("classes.log");
    try (NodeProcess server = NodeProcess.startJar(dir.resolve("config.yaml"), dir.resolve("server.log"),
        "-Xlog:class+load=info:file=" + classes)) {
      server.await(l -> l.contains("dashboard at "), "the dashboard listening", Duration.ofSeconds(300));
      List<String> loaded = Files.readAllLines(classes);
      assertThat(loaded).as("the class-load log works").anyMatch(l -> l.contains("io.servicemanager.Application "));
      assertThat(loaded).noneMatch(l -> l.contains("com.hazelcast.") || l.contains("io.vertx.spi.cluster.")
          || l.contains("io.servicemanager.cluster.") || l.contains("io.servicemanager.cli.FleetMember"));
    }
  }
}
