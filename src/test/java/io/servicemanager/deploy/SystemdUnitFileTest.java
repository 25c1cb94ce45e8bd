package io.servicemanager.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.config.ConfigLoader;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf/systemd/service-manager.service: the hardened unit that runs the jar as an unprivileged account. */
class SystemdUnitFileTest {
  static final Path UNIT = Path.of("conf/systemd/service-manager.service");
  static final Path DEPLOY_CONFIG = Path.of("conf/systemd/config.yaml");

  @TempDir Path dir;

  /** "Section.Key" → every value assigned, in order (systemd keys may repeat). */
  static Map<String, List<String>> parse(Path file) throws IOException {
    Map<String, List<String>> entries = new LinkedHashMap<>();
    String section = "";
    for (String raw : Files.readAllLines(file)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[")) {
        section = line.substring(1, line.indexOf(']'));
        continue;
      }
      int eq = line.indexOf('=');
      assertThat(eq).as("a Key=value line: %s", line).isPositive();
      entries.computeIfAbsent(section + "." + line.substring(0, eq).strip(), k -> new ArrayList<>())
          .add(line.substring(eq + 1).strip());
    }
    return entries;
  }

  record Run(int status, String out) {}

  static Run run(String... command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(command[0] + " is needed to check the unit file (Debian: package systemd)", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  @DisplayName("Runs the jar installed in /opt with the config in /etc as the service-manager account, restarting on failure")
  void runsTheJarAsItsAccount() throws IOException {
    Map<String, List<String>> unit = parse(UNIT);
    assertThat(unit.get("Service.User")).containsExactly("service-manager");
    assertThat(unit.get("Service.ExecStart")).singleElement().asString()
        .startsWith("/usr/bin/java ")
        .endsWith("-jar /opt/service-manager/service-manager.jar --config /etc/service-manager/config.yaml");
    assertThat(unit.get("Service.SupplementaryGroups")).as("journalctl reads the system journal as a member of systemd-journal")
        .containsExactly("systemd-journal");
    assertThat(unit.get("Service.Restart")).containsExactly("on-failure");
    assertThat(unit.get("Service.SuccessExitStatus")).as("a JVM stopped by SIGTERM exits 143").containsExactly("143");
    assertThat(unit.get("Install.WantedBy")).containsExactly("multi-user.target");
  }

  @Test
  @DisplayName("Holds no privilege and sees the system read-only, with only its state directory writable")
  void hardening() throws IOException {
    Map<String, List<String>> unit = parse(UNIT);
    Map<String, String> required = new LinkedHashMap<>();
    required.put("NoNewPrivileges", "yes");
    required.put("ProtectSystem", "strict");
    required.put("ProtectHome", "yes");
    required.put("PrivateTmp", "yes");
    required.put("PrivateDevices", "yes");
    required.put("CapabilityBoundingSet", "");
    required.put("AmbientCapabilities", "");
    required.put("RestrictAddressFamilies", "AF_UNIX AF_INET AF_INET6");
    required.put("SystemCallFilter", "@system-service");
    required.put("LockPersonality", "yes");
    required.put("RestrictNamespaces", "yes");
    required.put("RestrictRealtime", "yes");
    required.put("RestrictSUIDSGID", "yes");
    required.put("ProtectKernelTunables", "yes");
    required.put("ProtectKernelModules", "yes");
    required.put("ProtectKernelLogs", "yes");
    required.put("ProtectControlGroups", "yes");
    required.put("ProtectClock", "yes");
    required.put("ProtectHostname", "yes");
    required.put("StateDirectory", "service-manager");
    required.put("ConfigurationDirectory", "service-manager");
    required.put("UMask", "0077");
    required.forEach((key, value) -> assertThat(unit.get("Service." + key)).as(key).containsExactly(value));
    assertThat(unit).as("the JIT needs W+X memory").doesNotContainKey("Service.MemoryDenyWriteExecute");
    assertThat(unit).as("nothing outside the state directory is written").doesNotContainKey("Service.ReadWritePaths");
  }

  @Test
  @DisplayName("The config.yaml shipped for the unit is valid and keeps the history in the unit's state directory")
  void deployConfigFitsTheUnit() throws IOException {
    Files.copy(DEPLOY_CONFIG, dir.resolve("config.yaml"));
    Files.copy(Path.of("conf/services.yaml"), dir.resolve("services.yaml"));
    Vertx vertx = Vertx.vertx();
    try {
      var loaded = ConfigLoader.load(vertx, dir.resolve("config.yaml")).await();
      assertThat(loaded.app().historyFile()).isEqualTo(Path.of("/var/lib/service-manager/history.jsonl"));
      assertThat(loaded.app().insight().database()).isEqualTo(Path.of("/var/lib/service-manager/servicemanager.db"));
      assertThat(loaded.app().configHistory().dir()).isEqualTo(Path.of("/var/lib/service-manager/config-history"));
      assertThat(loaded.app().servicesFile()).isEqualTo(dir.resolve("services.yaml"));
      assertThat(loaded.app().bus()).isEqualTo("system");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("systemd-analyze verify accepts the unit, and its offline security review rates the exposure OK or better")
  void systemdAnalyze() throws Exception {
    Run verify = run("systemd-analyze", "verify", UNIT.toAbsolutePath().toString());
    assertThat(verify.status()).as(verify.out()).isZero();
    assertThat(verify.out()).as("no warnings").isBlank();
    Run security = run("systemd-analyze", "security", "--offline=yes", "--no-pager", UNIT.toAbsolutePath().toString());
    assertThat(security.status()).as(security.out()).isZero();
    // systemd's scale: 0–1.9 "OK", then MEDIUM, EXPOSED, UNSAFE.
    assertThat(security.out()).containsPattern("Overall exposure level for service-manager\\.service: [01]\\.\\d OK");
  }
}
