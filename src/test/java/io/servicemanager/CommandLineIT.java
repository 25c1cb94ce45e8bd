package io.servicemanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: a separate JVM, its exit status and what it prints. */
class CommandLineIT {
  @TempDir Path dir;

  record Run(int status, String out, String err) {}

  static Run run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
    return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("validate accepts the shipped configuration with exit status 0")
  void validateShipped() throws Exception {
    Run r = run("validate", "--config", "conf/config.yaml");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("valid, 2 services");
  }

  @Test
  @DisplayName("validate and run both exit with status 2 and list every error of an invalid configuration")
  void invalidConfigExitsTwo() throws Exception {
    Files.writeString(dir.resolve("services.yaml"), "services:\n  pzserver:\n    display_name: PZ\n"
        + "    permissions_required: restrat\n    status_check_allowed: yes please\n");
    Path config = Files.writeString(dir.resolve("config.yaml"), "http:\n  port: 0\n");
    for (String[] args : new String[][] {{"validate", "--config", config.toString()}, {"--config", config.toString()}}) {
      Run r = run(args);
      assertThat(r.status()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err())
          .contains("services.pzserver: missing field description")
          .contains("services.pzserver.permissions_required: must be one of restart, start, stop, all (got \"restrat\")")
          .contains("services.pzserver.status_check_allowed: must be true or false (got \"yes please\")");
    }
  }

  @Test
  @DisplayName("polkit-rules prints a rule for the shipped configuration's units and the account named")
  void polkitRulesForShippedConfig() throws Exception {
    Run r = run("polkit-rules", "--user", "service-manager", "--config", "conf/config.yaml");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("polkit.addRule(function (action, subject) {")
        .contains("var user = \"service-manager\";")
        .contains("\"pzserver.service\": [\"restart\"]")
        .contains("\"sample-service.service\": [\"start\",\"stop\",\"restart\"]");
  }

  @Test
  @DisplayName("polkit-rules refuses a --user that is not a POSIX account name with exit status 2, and needs --user")
  void polkitRulesBadUser() throws Exception {
    Run bad = run("polkit-rules", "--user", "Robert'); drop", "--config", "conf/config.yaml");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.err()).contains("--user must be a POSIX account name");
    Run missing = run("polkit-rules", "--config", "conf/config.yaml");
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required option: '--user=NAME'");
  }
}
