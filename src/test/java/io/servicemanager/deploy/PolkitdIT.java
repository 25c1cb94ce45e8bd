package io.servicemanager.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated rule in the real polkitd (its own JavaScript engine, the systemd1 action's
 * defaults), asked through pkcheck by processes of real accounts — on a private system bus in a
 * private mount namespace (src/test/resources/polkit/polkitd-check.sh). Needs root, dbus-daemon,
 * polkitd and pkcheck (Debian: dbus, polkitd, pkexec), like CI.
 */
class PolkitdIT {
  /** An account that exists everywhere stands in for service-manager; another one is the stranger. */
  static final String ACCOUNT = "nobody";
  static final String STRANGER = "daemon";
  static final String AUTHORIZED = "0";

  @TempDir Path dir;

  record Request(String user, String action, String unit, String verb) {
    String line() {
      return String.join(" ", user, action, unit, verb);
    }
  }

  static Request manage(String unit, String verb) {
    return new Request(ACCOUNT, PolkitRules.ACTION, unit, verb);
  }

  List<String> ask(String rule, List<Request> requests) throws Exception {
    Path rules = Files.createDirectory(dir.resolve("rules.d"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(rules, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(rules.resolve("50-service-manager.rules"), rule);
    Path script = Path.of(getClass().getResource("/polkit/polkitd-check.sh").toURI());
    Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "bash", script.toString(), rules.toString())
        .redirectError(dir.resolve("stderr").toFile()).start();
    StringBuilder input = new StringBuilder();
    requests.forEach(r -> input.append(r.line()).append('\n'));
    p.getOutputStream().write(input.toString().getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String err = Files.readString(dir.resolve("stderr"));
    assertThat(p.exitValue()).as("polkitd-check.sh: %s", err).isZero();
    assertThat(err).as("polkitd's complaints about the rule").doesNotContain("50-service-manager.rules");
    return out.lines().toList();
  }

  @Test
  @DisplayName("polkitd authorizes the account for exactly the table's verbs on configured units, and nothing else")
  void realPolkitd() throws Exception {
    ServiceCatalogue services = new ServiceCatalogue(List.of(
        PolkitRulesTest.service("level-restart.service", Permission.RESTART, true),
        PolkitRulesTest.service("level-start.service", Permission.START, true),
        PolkitRulesTest.service("level-stop.service", Permission.STOP, true),
        PolkitRulesTest.service("level-all.service", Permission.ALL, false)));
    List<Request> requests = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (var level : PolkitRulesTest.TABLE.entrySet()) {
      for (String verb : List.of("start", "stop", "restart", "try-restart", "reload-or-restart", "kill")) {
        Request request = manage("level-" + level.getKey().value() + ".service", verb);
        requests.add(request);
        expected.add(request.line() + " → " + (level.getValue().contains(verb) ? "authorized" : "refused"));
      }
    }
    for (Request refused : List.of(
        manage("sshd.service", "restart"),
        new Request(STRANGER, PolkitRules.ACTION, "level-all.service", "restart"),
        new Request(ACCOUNT, "org.freedesktop.systemd1.manage-unit-files", "level-all.service", "restart"),
        new Request(ACCOUNT, "org.freedesktop.login1.power-off", "level-all.service", "restart"))) {
      requests.add(refused);
      expected.add(refused.line() + " → refused");
    }
    List<String> answers = ask(PolkitRules.render(ACCOUNT, services, "services.yaml"), requests);
    assertThat(answers).as("one answer per request").hasSize(requests.size());
    List<String> actual = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      // Refused: 1 (not authorized) or 2 (an administrator's authentication would be needed).
      assertThat(answers.get(i)).as(requests.get(i).line()).isIn("0", "1", "2");
      actual.add(requests.get(i).line() + " → " + (answers.get(i).equals(AUTHORIZED) ? "authorized" : "refused"));
    }
    assertThat(actual).containsExactlyElementsOf(expected);
  }
}
