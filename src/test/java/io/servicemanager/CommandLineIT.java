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
    return runWithInput("", args);
  }

  static Run runWithInput(String input, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    try (var stdin = p.getOutputStream()) {
      stdin.write(input.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
    return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("validate accepts the shipped configuration with exit status 0")
  void validateShipped() throws Exception {
    Run r = run("validate", "--config", "conf/config.yaml");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("valid, 2 services").contains("0 users and 0 tokens");
  }

  @Test
  @DisplayName("hash-password reads the password from standard input and prints an Argon2id hash of it")
  void hashPassword() throws Exception {
    Run r = runWithInput("s3cret-enough\n", "hash-password");
    assertThat(r.status()).as(r.err()).isZero();
    String hash = r.out().strip();
    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(io.servicemanager.auth.PasswordHash.verify(hash, "s3cret-enough".toCharArray())).isTrue();
    assertThat(runWithInput("short\n", "hash-password").status()).as("too short").isEqualTo(1);
  }

  @Test
  @DisplayName("new-token prints a fresh token and the SHA-256 that users.yaml keeps")
  void newToken() throws Exception {
    Run a = run("new-token");
    Run b = run("new-token");
    assertThat(a.status()).isZero();
    String token = a.out().lines().filter(l -> l.startsWith("token:")).findFirst().orElseThrow().substring(6).strip();
    String digest = a.out().lines().filter(l -> l.startsWith("sha256:")).findFirst().orElseThrow().substring(7).strip();
    assertThat(token).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(b.out().lines().findFirst().orElseThrow().substring(6).strip());
    assertThat(digest).isEqualTo(io.servicemanager.auth.Tokens.sha256Hex(token)).matches("[0-9a-f]{64}");
  }

  @Test
  @DisplayName("validate and run exit with status 2 and list the users file's errors")
  void invalidUsersExitsTwo() throws Exception {
    Files.writeString(dir.resolve("services.yaml"), "services:\n  pzserver:\n    display_name: PZ\n    description: d\n"
        + "    permissions_required: restart\n    status_check_allowed: true\n");
    Files.writeString(dir.resolve("users.yaml"), "users:\n  alice:\n    password: hunter2\n    role: admin\n"
        + "    services: [pzservr]\n");
    Path config = Files.writeString(dir.resolve("config.yaml"), "http:\n  port: 0\nhistory_file: h.jsonl\n"
        + "auth:\n  secret_file: secret.key\n");
    for (String[] args : new String[][] {{"validate", "--config", config.toString()}, {"--config", config.toString()}}) {
      Run r = run(args);
      assertThat(r.status()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
      assertThat(r.err())
          .contains("users.yaml: users.alice.password: must be an Argon2id hash")
          .contains("users.alice.role: must be one of viewer, operator (got \"admin\")")
          .contains("users.alice.services[0]: no configured service is named \"pzservr\"");
    }
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
  @DisplayName("validate and run exit with status 2 and the clear error when a file was written by a newer release")
  void newerVersionExitsTwo() throws Exception {
    Files.writeString(dir.resolve("services.yaml"), "version: 2\nservices:\n  pzserver:\n    display_name: PZ\n"
        + "    description: d\n    permissions_required: restart\n    status_check_allowed: true\n    restart_window: 02-04\n");
    Path config = Files.writeString(dir.resolve("config.yaml"), "http:\n  port: 0\nhistory_file: h.jsonl\n"
        + "auth:\n  secret_file: secret.key\n");
    for (String[] args : new String[][] {{"validate", "--config", config.toString()}, {"--config", config.toString()}}) {
      Run r = run(args);
      assertThat(r.status()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).contains(dir.resolve("services.yaml") + ": version: 2 is newer than this Service Manager knows"
          + " (it reads services.yaml up to version 1): the file was written by a newer Service Manager; upgrade, or restore a backup")
          .doesNotContain("restart_window");
    }
    Files.writeString(dir.resolve("services.yaml"), "services:\n  pzserver:\n    display_name: PZ\n"
        + "    description: d\n    permissions_required: restart\n    status_check_allowed: true\n");
    Files.writeString(dir.resolve("users.yaml"), "version: 5\n");
    Run users = run("validate", "--config", config.toString());
    assertThat(users.status()).isEqualTo(2);
    assertThat(users.err()).contains(dir.resolve("users.yaml") + ": version: 5 is newer than this Service Manager knows"
        + " (it reads users.yaml up to version 1)");
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
