package io.servicemanager.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
        .redirectErrorStream(true).start();
    try {
      awaitListening(jar);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
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

  /**
   * Returns once the jar logs that its dashboard listens — HTTP is deployed last, after the action
   * verticle's first bus connection. Its output is copied to jar.log for failure messages.
   */
  private void awaitListening(Process jar) throws Exception {
    BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();
    Path log = dir.resolve("jar.log");
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(jar.getInputStream(), StandardCharsets.UTF_8));
           PrintWriter copy = new PrintWriter(Files.newBufferedWriter(log), true)) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          copy.println(line);
          lines.add(Optional.of(line));
        }
      } catch (IOException e) {
        // the jar was killed: its output ends here
      }
      lines.add(Optional.empty());
    }, "jar-output");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      Optional<String> line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null || line.isEmpty()) {
        throw new AssertionError((line == null ? "the jar did not listen within 60 s" : "the jar exited")
            + "; log: " + Files.readString(log));
      }
      if (line.get().contains("dashboard at ")) {
        return;
      }
    }
  }
}
