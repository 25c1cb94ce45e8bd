package io.servicemanager.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, killed with SIGKILL: every action it acknowledged is in its history file. */
class HistoryKillIT {
  private static final Path JAR = Path.of("target", "service-manager.jar");

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withUnit("quick.service", "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n");

  @TempDir Path dir;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  @DisplayName("kill -9 of the running jar loses no acknowledged action from the history")
  void survivesKillNine() throws Exception {
    assertThat(JAR).as("the packaged jar (failsafe runs after package)").isRegularFile();
    int port = freePort();
    Files.writeString(dir.resolve("services.yaml"), "services:\n  quick:\n    display_name: Quick\n"
        + "    description: oneshot\n    permissions_required: all\n    status_check_allowed: true\n");
    TestConfigs.writeUsers(dir.resolve("users.yaml"));
    Files.writeString(dir.resolve("config.yaml"), "http:\n  port: " + port + "\nsystemd:\n  bus: \""
        + systemd.busAddress() + "\"\nhistory_file: data/history.jsonl\nconfig_history:\n  dir: data/config-history\n"
        + "auth:\n  secret_file: data/secret.key\n");
    Process jar = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString(), "--config", dir.resolve("config.yaml").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("jar.log").toFile()).start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      awaitHealthy(http, port, jar);
      List<String> acked = new ArrayList<>();
      String[] actions = {"restart", "stop", "start"};
      for (int i = 0; i < 30; i++) {
        String action = actions[i % 3];
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/services/quick/" + action))
            .header("Authorization", TestConfigs.operatorBasic())
            .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        acked.add(action);
      }
      jar.destroyForcibly();
      assertThat(jar.waitFor()).as("killed by SIGKILL").isEqualTo(137);

      List<String> lines = Files.readAllLines(dir.resolve("data/history.jsonl"));
      List<String> recorded = lines.stream().map(JsonObject::new).map(o -> o.getString("action")).toList();
      assertThat(recorded).as("every acknowledged action, in order").startsWith(acked.toArray(String[]::new));
      assertThat(lines.stream().map(JsonObject::new)).allSatisfy(o -> {
        assertThat(o.getString("service")).isEqualTo("quick");
        assertThat(o.getString("user")).isEqualTo(TestConfigs.OPERATOR);
        assertThat(o.getString("result")).isEqualTo("done");
      });
    } finally {
      jar.destroyForcibly();
    }
  }

  private void awaitHealthy(HttpClient http, int port, Process jar) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(jar.isAlive()).as("jar still running; log: %s", Files.exists(dir.resolve("jar.log"))
          ? Files.readString(dir.resolve("jar.log")) : "").isTrue();
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100); // polling a process we do not control; there is no event to wait on
    }
    throw new AssertionError("the jar never became healthy: " + Files.readString(dir.resolve("jar.log")));
  }
}
