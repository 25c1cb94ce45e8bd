package io.servicemanager.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AudienceTest {
  static final Identity OPERATOR_ALL = new Identity("tester", Role.OPERATOR, null);
  static final Identity VIEWER_ALL = new Identity("victor", Role.VIEWER, null);
  static final Identity OPERATOR_MINE = new Identity("alice", Role.OPERATOR, Set.of("mine", "hidden"));
  static final Identity VIEWER_MINE = new Identity("token:bot", Role.VIEWER, Set.of("mine"));

  static JsonObject view(String name) {
    return new JsonObject().put("name", name).put("status", "active").put("active_state", "active")
        .put("sub_state", "running").put("since", "2026-12-01T00:00:00Z").put("main_pid", 42)
        .put("last_check", "2026-12-01T00:00:01Z").put("status_check_allowed", true)
        .put("allowed_actions", new JsonArray().add("start").add("restart"));
  }

  /** A service whose status may not be checked, as a careless builder might send it: with state. */
  static JsonObject hidden() {
    return view("hidden").put("status_check_allowed", false);
  }

  /** identity × service: known?, may act?, sees every service? */
  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(OPERATOR_ALL, "mine", true, true, true),
        Arguments.of(OPERATOR_ALL, "theirs", true, true, true),
        Arguments.of(VIEWER_ALL, "mine", true, false, true),
        Arguments.of(VIEWER_ALL, "theirs", true, false, true),
        Arguments.of(OPERATOR_MINE, "mine", true, true, false),
        Arguments.of(OPERATOR_MINE, "theirs", false, true, false),
        Arguments.of(VIEWER_MINE, "mine", true, false, false),
        Arguments.of(VIEWER_MINE, "theirs", false, false, false));
  }

  @ParameterizedTest(name = "{0} on {1}: known {2}, acts {3}, sees all {4}")
  @MethodSource("table")
  @DisplayName("Every kind follows one rule: an unknown service yields nothing of any kind, a viewer no actions,"
      + " and what names every service only reaches who sees every service")
  void everyKind(Identity who, String service, boolean known, boolean acts, boolean all) {
    Audience audience = Audience.of(who);
    JsonObject seen = audience.view(view(service));
    if (known) {
      assertThat(seen.getString("status")).isEqualTo("active");
      assertThat(seen.getJsonArray("allowed_actions")).hasSize(acts ? 2 : 0);
    } else {
      assertThat(seen).isNull();
    }
    assertThat(audience.views(new JsonArray().add(view(service)))).hasSize(known ? 1 : 0);
    JsonObject snapshot = audience.snapshot(new JsonObject().put("services", new JsonArray().add(view(service)))
        .put("dbus", "connected"));
    assertThat(snapshot.getJsonArray("services")).hasSize(known ? 1 : 0);
    assertThat(snapshot.getString("dbus")).isEqualTo("connected");
    JsonObject operation = new JsonObject().put("service", service).put("action", "restart");
    assertThat(audience.operation(operation)).isEqualTo(known ? operation : null);
    assertThat(audience.history() == null || audience.history().contains(service)).isEqualTo(known);
    JsonObject followUp = new JsonObject().put("service", service).put("message", "exited with status 1");
    assertThat(audience.startFailed(followUp)).isEqualTo(known ? followUp : null);
    assertThat(audience.seesStateOf(view(service))).isEqualTo(known);
    assertThat(audience.knows(service)).isEqualTo(known);
    assertThat(audience.metrics()).isEqualTo(all);
    JsonObject errors = new JsonObject().put("type", "config_error");
    assertThat(audience.configErrors(errors)).isEqualTo(all ? errors : null);
    assertThat(audience.configuration()).as("the configuration itself").isEqualTo(all);
  }

  @Test
  @DisplayName("The configuration itself (history, units not configured) is not shown to the anonymous viewer, though it sees every service")
  void configurationNeedsAName() {
    Audience anonymous = Audience.of(Identity.anonymousViewer());
    assertThat(anonymous.seesEverything()).isTrue();
    assertThat(anonymous.configuration()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("identities")
  @DisplayName("A service whose status may not be checked reveals no state to anyone, whatever view is handed in")
  void hiddenStateRevealsNothing(Identity who) {
    assertThat(Audience.of(who).seesStateOf(hidden())).as("no timeline, no statistics").isFalse();
    JsonObject seen = Audience.of(who).view(hidden());
    if (who.services() != null && !who.services().contains("hidden")) {
      assertThat(seen).isNull();
      return;
    }
    for (String field : Audience.STATE_FIELDS) {
      assertThat(seen.getValue(field)).as(field).isNull();
    }
    assertThat(seen.getString("name")).isEqualTo("hidden");
    assertThat(hidden().getString("status")).as("the view handed in is not changed").isEqualTo("active");
  }

  static Stream<Identity> identities() {
    return Stream.of(OPERATOR_ALL, VIEWER_ALL, OPERATOR_MINE, VIEWER_MINE);
  }

  @Test
  @DisplayName("Nothing that is not a named view or a service's item passes, for anyone")
  void malformed() {
    Audience all = Audience.of(OPERATOR_ALL);
    assertThat(all.view(null)).isNull();
    assertThat(all.view(new JsonObject().put("status", "success"))).isNull();
    assertThat(all.operation(new JsonObject())).isNull();
    assertThat(all.operation(null)).isNull();
    assertThat(all.views(new JsonArray().add("not a view").add(view("mine")))).containsExactly(view("mine"));
    assertThat(all.snapshot(null).getJsonArray("services")).isEmpty();
  }

  @Test
  @DisplayName("Identities with the same rights share a key, so a frame is made once for all of them")
  void keys() {
    assertThat(Audience.of(OPERATOR_ALL).key()).isEqualTo(Audience.of(new Identity("bob", Role.OPERATOR, null)).key());
    assertThat(Audience.of(OPERATOR_ALL).key()).isNotEqualTo(Audience.of(VIEWER_ALL).key());
    assertThat(Audience.of(OPERATOR_MINE).key()).isNotEqualTo(Audience.of(OPERATOR_ALL).key());
  }

  @Test
  @DisplayName("A hidden service of a lost fleet node says unreachable (its host's state) and still nothing of its own")
  void hiddenOnALostHost() {
    JsonObject lost = io.servicemanager.status.ServiceView.unreachable(hidden().put("last_failure", new JsonObject()));
    for (Identity who : new Identity[] {OPERATOR_ALL, VIEWER_ALL, OPERATOR_MINE}) {
      JsonObject seen = Audience.of(who).view(lost);
      assertThat(seen.getString("status")).as("%s", who.name()).isEqualTo("unreachable");
      Audience.STATE_FIELDS.stream().filter(f -> !f.equals("status"))
          .forEach(f -> assertThat(seen.getValue(f)).as("%s: %s", who.name(), f).isNull());
    }
  }
}
