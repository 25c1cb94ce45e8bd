package io.servicemanager.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Who may read a service's journal and resource figures")
class AudienceJournalTest {
  static final Identity VIEWER_ALL = new Identity("victor", Role.VIEWER, null);
  static final Identity OPERATOR_MINE = new Identity("alice", Role.OPERATOR, Set.of("mine"));

  static JsonObject view(String name, boolean stateShown, boolean logsAllowed) {
    return new JsonObject().put("name", name).put("status_check_allowed", stateShown)
        .put("logs_allowed", logsAllowed).put("status", stateShown ? "active" : null);
  }

  @Test
  @DisplayName("whoever sees a service with logs_allowed may read its journal and figures, a viewer too")
  void allowed() {
    assertThat(Audience.of(VIEWER_ALL).logs(view("mine", true, true))).isNull();
    assertThat(Audience.of(OPERATOR_MINE).logs(view("mine", true, true))).isNull();
    assertThat(Audience.of(VIEWER_ALL).resources(view("mine", true, false))).isNull();
  }

  @Test
  @DisplayName("logs_allowed false refuses the journal (logs_not_allowed) but not the figures")
  void logsNotAllowed() {
    assertThat(Audience.of(VIEWER_ALL).logs(view("mine", true, false))).isEqualTo(ErrorCode.LOGS_NOT_ALLOWED);
    assertThat(Audience.of(VIEWER_ALL).resources(view("mine", true, false))).isNull();
  }

  @Test
  @DisplayName("a hidden-state service gives neither journal nor figures to anyone, whatever logs_allowed says")
  void hidden() {
    assertThat(Audience.of(VIEWER_ALL).logs(view("mine", false, true))).isEqualTo(ErrorCode.LOGS_NOT_ALLOWED);
    assertThat(Audience.of(VIEWER_ALL).resources(view("mine", false, true))).isEqualTo(ErrorCode.STATE_HIDDEN);
  }

  @Test
  @DisplayName("a service outside the identity's list, or none at all, does not exist for it")
  void unknown() {
    assertThat(Audience.of(OPERATOR_MINE).logs(view("theirs", true, true))).isEqualTo(ErrorCode.UNKNOWN_SERVICE);
    assertThat(Audience.of(OPERATOR_MINE).resources(view("theirs", true, true))).isEqualTo(ErrorCode.UNKNOWN_SERVICE);
    assertThat(Audience.of(VIEWER_ALL).logs(new JsonObject())).isEqualTo(ErrorCode.UNKNOWN_SERVICE);
  }
}
