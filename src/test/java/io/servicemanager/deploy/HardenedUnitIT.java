package io.servicemanager.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import java.io.IOException;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged jar run by systemd under the sandboxing of conf/systemd/service-manager.service:
 * a JVM, dbus-java and Vert.x must all work inside it, against real systemd.
 */
class HardenedUnitIT {
  private static final Path JAR = Path.of("target", "service-manager.jar").toAbsolutePath();
  private static final String UNIT = "hardened-manager.service";

  /**
   * Directives of the shipped unit not applied here, and why: the test's own paths replace
   * ExecStart and WorkingDirectory; the test runs as root with no service-manager account; and
   * the container this machine kind runs in has /home and parts of /proc masked already, so a
   * systemd inside it cannot remount them (226/NAMESPACE).
   */
  private static final Set<String> NOT_APPLIED = Set.of("ExecStart", "WorkingDirectory", "User", "Group",
      "ProtectHome", "ProtectKernelTunables", "ProtectKernelLogs");

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withUnit("victim.service", "[Service]\nExecStart=/bin/sleep 400\n");

  // Under the checkout's target/, bound into the unit below (its PrivateTmp hides /tmp).
  private final Path dir = Path.of("target", "hardened-unit-it-" + System.nanoTime()).toAbsolutePath();

  @AfterEach
  void stop() {
    systemd.systemctl("stop", UNIT, "victim.service");
  }

  /** The [Service] directives of the shipped unit, minus those not applied here. */
  static List<String> hardening() throws IOException {
    List<String> lines = new ArrayList<>();
    boolean inService = false;
    for (String raw : Files.readAllLines(SystemdUnitFileTest.UNIT)) {
      String line = raw.strip();
      if (line.startsWith("[")) {
        inService = line.equals("[Service]");
      } else if (inService && !line.isEmpty() && !line.startsWith("#")
          && !NOT_APPLIED.contains(line.substring(0, line.indexOf('=')))) {
        lines.add(line);
      }
    }
    return lines;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  @DisplayName("Under the unit's sandbox the jar connects to systemd, serves, starts a unit and records it where it may write")
  void servesAndActsUnderTheSandbox() throws Exception {
    assertThat(JAR).as("the packaged jar (failsafe runs after package)").isRegularFile();
    Path data = Files.createDirectories(dir.resolve("data"));
    int port = freePort();
    Files.writeString(dir.resolve("config.yaml"), "http:\n  host: 127.0.0.1\n  port: " + port + "\n"
        + "systemd:\n  bus: \"unix:path=/run/service-manager-bus\"\n"
        + "services_file: services.yaml\nhistory_file: " + data.resolve("history.jsonl") + "\n"
        + "insight:\n  database: " + data.resolve("servicemanager.db") + "\n"
        + "config_history:\n  dir: " + data.resolve("config-history") + "\n"
        + "auth:\n  users_file: users.yaml\n  secret_file: " + data.resolve("secret.key") + "\n");
    TestConfigs.writeUsers(dir.resolve("users.yaml"));
    Files.writeString(dir.resolve("services.yaml"), "services:\n  victim:\n    display_name: Victim\n"
        + "    description: sleeps\n    permissions_required: all\n    status_check_allowed: true\n");
    List<String> unit = new ArrayList<>(List.of("[Service]"));
    unit.addAll(hardening());
    // The shipped JVM options (conf/jvm.options, installed next to the jar), bound in below.
    unit.add("ExecStart=/usr/bin/java @" + JvmOptionsTest.OPTIONS.toAbsolutePath() + " -jar " + JAR + " --config "
        + dir.resolve("config.yaml"));
    // The sandbox's bus lives under /tmp, which PrivateTmp hides: it is bound in where config.yaml looks.
    unit.add("BindReadOnlyPaths=" + systemd.busAddress().substring("unix:path=".length()) + ":/run/service-manager-bus");
    // A checkout under /tmp (as a CI runner may have) would vanish behind PrivateTmp too: the jar
    // and this test's folder are bound in where they are; binds apply after the private /tmp.
    unit.add("BindReadOnlyPaths=" + JAR);
    unit.add("BindReadOnlyPaths=" + JvmOptionsTest.OPTIONS.toAbsolutePath());
    unit.add("BindPaths=" + dir);
    unit.add("ReadWritePaths=" + data);
    unit.add("StandardOutput=append:" + dir.resolve("manager.log"));
    unit.add("StandardError=inherit");
    systemd.sandbox().writeUnit(UNIT, String.join("\n", unit) + "\n");
    systemd.sandbox().daemonReload();
    systemd.sandbox().systemctlOk("start", UNIT);

    HttpClient http = HttpClient.newHttpClient();
    awaitHealthy(http, port);
    HttpResponse<String> start = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/api/services/victim/start"))
            .header("Authorization", TestConfigs.operatorBasic()).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
    assertThat(systemd.activeState("victim.service")).isEqualTo("active");
    HttpResponse<String> history = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/api/history?service=victim"))
            .header("Authorization", TestConfigs.operatorBasic()).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
    assertThat(history.body()).contains("\"service\":\"victim\"", "\"action\":\"start\"",
        "\"user\":\"" + TestConfigs.OPERATOR + "\"");
    assertThat(data.resolve("servicemanager.db")).as("the insight database, in the one writable place").isRegularFile();
    assertThat(data.resolve("secret.key")).as("the session key, made in the one writable place").isRegularFile();

    systemd.sandbox().systemctlOk("stop", UNIT);
    assertThat(systemd.sandbox().property(UNIT, "Result")).as("a SIGTERM stop counts as clean").isEqualTo("success");
  }

  @Test
  @DisplayName("With MemoryDenyWriteExecute=yes the JVM cannot even start, which is why the unit leaves it off")
  void memoryDenyWriteExecuteStopsTheJvm() throws Exception {
    Files.createDirectories(dir);
    Path log = dir.resolve("mdwe.log");
    List<String> command = List.of("systemd-run", "--user", "--wait", "--collect", "--quiet",
        "-p", "MemoryDenyWriteExecute=yes", "-p", "StandardOutput=file:" + log, "-p", "StandardError=inherit",
        "/usr/bin/java", "-version");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(systemd.sandbox().clientEnvironment());
    Process run = builder.start();
    String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(run.exitValue()).as("systemd-run: %s", out).isNotZero();
    assertThat(Files.readString(log)).contains("Failed to mark memory page as executable");
  }

  private void awaitHealthy(HttpClient http, int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(systemd.activeState(UNIT)).as("the unit still runs; log: %s", log()).isIn("active", "activating");
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100); // polling a process systemd runs; there is no event to wait on
    }
    throw new AssertionError("the manager never became healthy under the unit; log: " + log());
  }

  private String log() throws IOException {
    Path log = dir.resolve("manager.log");
    return Files.exists(log) ? Files.readString(log) : "(none)";
  }
}
