package io.servicemanager.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated polkit rule, evaluated by node the way polkitd evaluates it
 * (src/test/resources/polkit/evaluate-rules.js), against (action, unit, verb, user) requests.
 */
class PolkitRulesTest {
  static final String USER = "service-manager";
  static final String YES = "yes";
  static final String NOT_HANDLED = "not_handled";

  /** Every verb systemd puts in manage-units details for a unit (src/core/dbus-unit.c). */
  static final List<String> SYSTEMD_VERBS = List.of("start", "stop", "restart", "try-restart", "reload",
      "reload-or-restart", "reload-or-try-restart", "verify-active", "kill", "reset-failed", "set-property",
      "clean", "freeze", "thaw", "attach-processes", "bind-mount", "mount-image");

  /** DESIGN §2, written out again so that a change to Permission must also change this specification. */
  static final Map<Permission, List<String>> TABLE = Map.of(
      Permission.RESTART, List.of("restart"),
      Permission.START, List.of("start", "restart"),
      Permission.STOP, List.of("stop", "restart"),
      Permission.ALL, List.of("start", "stop", "restart"));

  @TempDir Path dir;

  static ServiceDefinition service(String unit, Permission permission, boolean visible) {
    return new ServiceDefinition(unit.replace(".service", ""), unit, unit, unit, permission, visible);
  }

  static final ServiceCatalogue SERVICES = new ServiceCatalogue(List.of(
      service("level-restart.service", Permission.RESTART, true),
      service("level-start.service", Permission.START, true),
      service("level-stop.service", Permission.STOP, true),
      service("level-all.service", Permission.ALL, true),
      service("hidden.service", Permission.STOP, false),
      service("worker@1.service", Permission.RESTART, true)));

  static JsonObject request(String actionId, String unit, String verb, String user) {
    JsonObject details = new JsonObject();
    if (unit != null) {
      details.put("unit", unit);
    }
    if (verb != null) {
      details.put("verb", verb);
    }
    return new JsonObject().put("id", actionId).put("details", details).put("user", user);
  }

  static JsonObject manage(String unit, String verb) {
    return request(PolkitRules.ACTION, unit, verb, USER);
  }

  record Evaluation(List<String> answers, int rules) {}

  Evaluation evaluate(String rule, List<JsonObject> requests) throws IOException, InterruptedException, URISyntaxException {
    Path rulesFile = Files.writeString(dir.resolve("50-service-manager.rules"), rule);
    Path script = Path.of(getClass().getResource("/polkit/evaluate-rules.js").toURI());
    Process node;
    try {
      node = new ProcessBuilder("node", script.toString(), rulesFile.toString()).start();
    } catch (IOException e) {
      throw new AssertionError("node (v18+) is needed to evaluate the generated polkit rule; install nodejs", e);
    }
    node.getOutputStream().write(new JsonArray(new ArrayList<>(requests)).encode().getBytes(StandardCharsets.UTF_8));
    node.getOutputStream().close();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("node finished").isTrue();
    assertThat(node.exitValue()).as("node failed on the rule:%n%s%n%s", err, rule).isZero();
    JsonObject result = new JsonObject(out);
    List<String> answers = new ArrayList<>();
    result.getJsonArray("answers").forEach(a -> answers.add((String) a));
    return new Evaluation(answers, result.getInteger("rules"));
  }

  String answer(String rule, JsonObject request) throws Exception {
    return evaluate(rule, List.of(request)).answers().get(0);
  }

  @Test
  @DisplayName("Each permission level gets exactly its verbs from the table; every other verb systemd knows is not granted")
  void everyLevelTimesEveryVerb() throws Exception {
    String rule = PolkitRules.render(USER, SERVICES, "services.yaml");
    List<JsonObject> requests = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (var level : TABLE.entrySet()) {
      String unit = "level-" + level.getKey().value() + ".service";
      for (String verb : SYSTEMD_VERBS) {
        requests.add(manage(unit, verb));
        expected.add(unit + " " + verb + " → " + (level.getValue().contains(verb) ? YES : NOT_HANDLED));
      }
    }
    Evaluation evaluation = evaluate(rule, requests);
    List<String> actual = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      actual.add(requests.get(i).getJsonObject("details").getString("unit") + " "
          + requests.get(i).getJsonObject("details").getString("verb") + " → " + evaluation.answers().get(i));
    }
    assertThat(actual).containsExactlyElementsOf(expected);
    assertThat(evaluation.rules()).as("rules added").isEqualTo(1);
  }

  @Test
  @DisplayName("A hidden service's permitted actions are granted, and template instances are matched by their full name")
  void hiddenAndTemplateUnits() throws Exception {
    String rule = PolkitRules.render(USER, SERVICES, "services.yaml");
    assertThat(evaluate(rule, List.of(
        manage("hidden.service", "stop"), manage("hidden.service", "restart"), manage("hidden.service", "start"),
        manage("worker@1.service", "restart"), manage("worker@2.service", "restart"), manage("worker@.service", "restart")))
        .answers()).containsExactly(YES, YES, NOT_HANDLED, YES, NOT_HANDLED, NOT_HANDLED);
  }

  @Test
  @DisplayName("Units are matched exactly: a foreign unit, another case, a missing suffix or no unit at all is not granted")
  void unitsMatchedExactly() throws Exception {
    String rule = PolkitRules.render(USER, SERVICES, "services.yaml");
    assertThat(evaluate(rule, List.of(
        manage("sshd.service", "restart"), manage("LEVEL-ALL.service", "restart"), manage("level-all", "restart"),
        manage("level-all.service ", "restart"), manage(null, "restart"), manage("level-all.service", null),
        manage("constructor", "restart"), manage("__proto__", "restart"), manage("hasOwnProperty", "restart")))
        .answers()).containsOnly(NOT_HANDLED).hasSize(9);
  }

  @Test
  @DisplayName("Another account, or another polkit action with an otherwise allowed unit and verb, is not granted")
  void foreignUserAndAction() throws Exception {
    String rule = PolkitRules.render(USER, SERVICES, "services.yaml");
    assertThat(evaluate(rule, List.of(
        request(PolkitRules.ACTION, "level-all.service", "restart", "root"),
        request(PolkitRules.ACTION, "level-all.service", "restart", "service-manager2"),
        request(PolkitRules.ACTION, "level-all.service", "restart", null),
        request("org.freedesktop.systemd1.manage-unit-files", "level-all.service", "restart", USER),
        request("org.freedesktop.systemd1.reload-daemon", "level-all.service", "restart", USER),
        request("org.freedesktop.login1.power-off", "level-all.service", "restart", USER),
        request("org.freedesktop.systemd1.manage-units.extra", "level-all.service", "restart", USER)))
        .answers()).containsOnly(NOT_HANDLED).hasSize(7);
    assertThat(answer(rule, manage("level-all.service", "restart"))).as("the same request from the account").isEqualTo(YES);
  }

  @Test
  @DisplayName("Names are JSON-encoded into the rule: a unit name made to break out of its string stays data")
  void namesCannotInjectCode() throws Exception {
    String evil = "x\"]}; polkit.addRule(function () { return polkit.Result.YES; }); //\u2028.service";
    // ServiceDefinition itself does not validate; services.yaml validation would refuse this name.
    ServiceCatalogue services = new ServiceCatalogue(List.of(service(evil, Permission.RESTART, true)));
    String rule = PolkitRules.render(USER, services, "a\nb.yaml */ polkit.addRule(");
    Evaluation evaluation = evaluate(rule, List.of(manage(evil, "restart"), manage("sshd.service", "restart"),
        request("org.freedesktop.login1.power-off", null, null, "root")));
    assertThat(evaluation.rules()).as("rules added").isEqualTo(1);
    assertThat(evaluation.answers()).containsExactly(YES, NOT_HANDLED, NOT_HANDLED);
  }

  @Test
  @DisplayName("--user must be a POSIX account name; anything else is refused with a message that says what is allowed")
  void accountNames() {
    for (String good : List.of("service-manager", "_sm", "sm1", "a", "a".repeat(32))) {
      assertThat(PolkitRules.render(good, SERVICES, "services.yaml")).contains("var user = \"" + good + "\";");
    }
    for (String bad : List.of("", "Root", "1sm", "-sm", "s m", "sm\"", "sm;", "a".repeat(33), "sm\n", "émile")) {
      assertThatThrownBy(() -> PolkitRules.render(bad, SERVICES, "services.yaml"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--user must be a POSIX account name");
    }
  }
}
