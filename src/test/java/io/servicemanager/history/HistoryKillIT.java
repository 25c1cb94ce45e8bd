package io.servicemanager.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.insight.InsightStore;
import io.servicemanager.insight.OperationQuery;
import io.servicemanager.insight.OperationStore;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
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
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, killed with SIGKILL while actions are in flight: every action it acknowledged is
 * in its insight database, in the order it was acknowledged.
 */
class HistoryKillIT {
  private static final Path JAR = Path.of("target", "service-manager.jar");
  private static final int UNITS = 4;
  private static final int ACKED_BEFORE_KILL = 40;
  private static final String[] ACTIONS = {"restart", "stop", "start"};

  @RegisterExtension
  static SystemdSandboxExtension systemd = withUnits(new SystemdSandboxExtension());

  @TempDir Path dir;

  private static SystemdSandboxExtension withUnits(SystemdSandboxExtension sandbox) {
    for (int i = 0; i < UNITS; i++) {
      sandbox.withUnit("quick" + i + ".service", "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n");
    }
    return sandbox;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  @DisplayName("kill -9 of the running jar under load loses no acknowledged action from the database")
  void survivesKillNine() throws Exception {
    assertThat(JAR).as("the packaged jar (failsafe runs after package)").isRegularFile();
    int port = freePort();
    StringBuilder services = new StringBuilder("services:\n");
    for (int i = 0; i < UNITS; i++) {
      services.append("  quick").append(i).append(":\n    display_name: Quick\n    description: oneshot\n")
          .append("    permissions_required: all\n    status_check_allowed: true\n");
    }
    Files.writeString(dir.resolve("services.yaml"), services);
    TestConfigs.writeUsers(dir.resolve("users.yaml"));
    Files.writeString(dir.resolve("config.yaml"), "http:\n  port: " + port + "\nsystemd:\n  bus: \""
        + systemd.busAddress() + "\"\nhistory_file: data/history.jsonl\ninsight:\n  database: data/servicemanager.db\n"
        + "config_history:\n  dir: data/config-history\nauth:\n  secret_file: data/secret.key\n");
    Process jar = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString(), "--config", dir.resolve("config.yaml").toString())
        .redirectErrorStream(true).start();
    List<List<String>> acked = new ArrayList<>();
    List<Thread> clients = new ArrayList<>();
    try {
      awaitListening(jar);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      CountDownLatch enough = new CountDownLatch(ACKED_BEFORE_KILL);
      // One client per unit, each sending its next action as soon as the last was answered: the
      // jar is killed while some of them wait for an answer.
      for (int i = 0; i < UNITS; i++) {
        List<String> mine = new CopyOnWriteArrayList<>();
        acked.add(mine);
        String service = "quick" + i;
        Thread client = new Thread(() -> {
          for (int n = 0; ; n++) {
            String action = ACTIONS[n % ACTIONS.length];
            try {
              HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/api/services/" + service + "/" + action))
                  .header("Authorization", TestConfigs.operatorBasic())
                  .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
                  HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() != 200) {
                return; // not acknowledged; the assertions below see too few acknowledgements
              }
              mine.add(action);
              enough.countDown();
            } catch (IOException | InterruptedException e) {
              return; // the jar is gone
            }
          }
        }, "client-" + service);
        client.setDaemon(true);
        clients.add(client);
        client.start();
      }
      assertThat(enough.await(180, TimeUnit.SECONDS)).as(ACKED_BEFORE_KILL + " actions acknowledged").isTrue();
      jar.destroyForcibly();
      assertThat(jar.waitFor()).as("killed by SIGKILL").isEqualTo(137);
      for (Thread client : clients) {
        client.join(60_000);
      }
    } finally {
      jar.destroyForcibly();
    }

    Vertx vertx = Vertx.vertx();
    try {
      InsightStore store = InsightStore.open(vertx, dir.resolve("data/servicemanager.db")).await();
      try {
        OperationStore operations = new OperationStore(store);
        for (int i = 0; i < UNITS; i++) {
          List<JsonObject> newestFirst = new ArrayList<>(operations.query(
              new OperationQuery(null, "quick" + i, null, null, HistoryQuery.MAX_LIMIT)).await().entries());
          Collections.reverse(newestFirst);
          List<String> recorded = newestFirst.stream().map(o -> o.getString("action")).toList();
          assertThat(recorded).as("every action acknowledged for quick" + i + ", in order")
              .startsWith(acked.get(i).toArray(String[]::new));
          assertThat(newestFirst).allSatisfy(o -> {
            assertThat(o.getString("user")).isEqualTo(TestConfigs.OPERATOR);
            assertThat(o.getString("result")).isEqualTo("done");
          });
        }
      } finally {
        store.close().await();
      }
    } finally {
      vertx.close().await();
    }
    assertThat(acked.stream().mapToInt(List::size).sum()).isGreaterThanOrEqualTo(ACKED_BEFORE_KILL);
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
