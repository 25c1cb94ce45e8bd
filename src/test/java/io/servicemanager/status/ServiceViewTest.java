package io.servicemanager.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.systemd.UnitSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ServiceViewTest {
  private static final ServiceDefinition PZ = new ServiceDefinition("pzserver", "pzserver.service",
      "PZServer Game Server", "Project Zomboid dedicated game server", Permission.RESTART, true);
  private static final ServiceDefinition HIDDEN = new ServiceDefinition("backup", "backup.service",
      "Backup", "Nightly backup", Permission.START, false);
  private static final Instant CHECK = Instant.parse("2026-11-28T10:31:02.120Z");

  private static UnitSnapshot unit(Map<String, Object> props) {
    return new UnitSnapshot("pzserver.service", "/p", props);
  }

  private static final UnitSnapshot RUNNING = unit(Map.of("LoadState", "loaded", "ActiveState", "active",
      "SubState", "running", "StateChangeTimestamp", 1_795_861_862_114_000L, "MainPID", 4242L));

  @Test
  @DisplayName("An active unit gives the DESIGN §3 view, field for field")
  void activeView() {
    JsonObject view = ServiceView.of(PZ, RUNNING, true, CHECK);
    assertThat(view).isEqualTo(new JsonObject()
        .put("name", "pzserver").put("unit", "pzserver.service")
        .put("display_name", "PZServer Game Server")
        .put("description", "Project Zomboid dedicated game server")
        .put("permissions", "restart").put("allowed_actions", new JsonArray().add("restart"))
        .put("status_check_allowed", true).put("logs_allowed", false).put("confirm_restart", false)
        .put("status", "active").put("active_state", "active").put("sub_state", "running")
        .put("since", "2026-11-28T10:31:02.114Z").put("main_pid", 4242L)
        .put("last_check", "2026-11-28T10:31:02.120Z")
        .put("up_since", "2026-11-28T10:31:02.114Z").putNull("last_failure").putNull("last_operation"));
  }

  @Test
  @DisplayName("A view tells its recent past: up since when it was seen going up, the last failure and the last operation")
  void recentPast() {
    JsonObject failure = new JsonObject().put("at", "2026-11-28T09:00:00.000Z").put("reason", "exited with status 1");
    JsonObject operation = new JsonObject().put("at", "2026-11-28T10:30:00.000Z").put("action", "restart")
        .put("user", "alice").put("result", "done");
    Instant upSince = Instant.parse("2026-11-27T08:00:00Z");
    JsonObject view = ServiceView.of(PZ, RUNNING, true, CHECK, new ServiceView.Recent(upSince, failure, operation));
    assertThat(view.getString("up_since")).as("not systemd's since: a reload keeps it up").isEqualTo("2026-11-27T08:00:00.000Z");
    assertThat(view.getJsonObject("last_failure")).isEqualTo(failure);
    assertThat(view.getJsonObject("last_operation")).isEqualTo(operation);
    JsonObject down = ServiceView.of(PZ, unit(Map.of("LoadState", "loaded", "ActiveState", "failed")), true, CHECK,
        new ServiceView.Recent(null, failure, operation));
    assertThat(down.getValue("up_since")).as("not up").isNull();
    assertThat(down.getJsonObject("last_failure")).isEqualTo(failure);
  }

  @Test
  @DisplayName("A hidden service's view has no recent past, whatever is known of it")
  void hiddenHasNoPast() {
    JsonObject failure = new JsonObject().put("at", "2026-11-28T09:00:00.000Z").put("reason", "exited with status 1");
    JsonObject view = ServiceView.of(HIDDEN, RUNNING, true, CHECK, new ServiceView.Recent(Instant.EPOCH, failure, failure));
    assertThat(view.getValue("up_since")).isNull();
    assertThat(view.getValue("last_failure")).isNull();
    assertThat(view.getValue("last_operation")).isNull();
    assertThat(view.containsKey("last_operation")).as("present, as null").isTrue();
  }

  @Test
  @DisplayName("A hidden service reveals no state at all, not even error or a check time")
  void hidden() {
    JsonObject view = ServiceView.of(HIDDEN, null, false, CHECK);
    assertThat(view.getValue("status")).isNull();
    assertThat(view.getValue("active_state")).isNull();
    assertThat(view.getValue("sub_state")).isNull();
    assertThat(view.getValue("since")).isNull();
    assertThat(view.getValue("main_pid")).isNull();
    assertThat(view.getValue("last_check")).isNull();
    assertThat(view.getJsonArray("allowed_actions")).containsExactly("start", "restart");
  }

  @Test
  @DisplayName("While the bus is down every visible status is error, never a stale active")
  void busDown() {
    JsonObject view = ServiceView.of(PZ, RUNNING, false, CHECK);
    assertThat(view.getString("status")).isEqualTo("error");
    assertThat(view.getValue("active_state")).isNull();
    assertThat(view.getValue("main_pid")).isNull();
  }

  @Test
  @DisplayName("A unit not read yet is checking; a unit systemd cannot find is error")
  void checkingAndNotFound() {
    assertThat(ServiceView.of(PZ, null, true, null).getString("status")).isEqualTo("checking");
    assertThat(ServiceView.of(PZ, unit(Map.of("LoadState", "not-found", "ActiveState", "inactive")), true, CHECK)
        .getString("status")).isEqualTo("error");
  }

  @Test
  @DisplayName("Transitions and failure map to their own status; systemd's maintenance counts as a transition")
  void transitions() {
    for (String state : new String[] {"activating", "deactivating", "reloading", "failed", "inactive"}) {
      assertThat(ServiceView.of(PZ, unit(Map.of("LoadState", "loaded", "ActiveState", state)), true, CHECK)
          .getString("status")).isEqualTo(state);
    }
    assertThat(ServiceView.of(PZ, unit(Map.of("LoadState", "loaded", "ActiveState", "maintenance")), true, CHECK)
        .getString("status")).isEqualTo("reloading");
  }

  @Test
  @DisplayName("A main PID is shown only while the unit runs: the Service signal can outrun the Unit one")
  void mainPidOnlyWhileRunning() {
    UnitSnapshot stoppedWithOldPid = unit(Map.of("LoadState", "loaded", "ActiveState", "inactive", "MainPID", 4242L));
    assertThat(ServiceView.of(PZ, stoppedWithOldPid, true, CHECK).getValue("main_pid")).isNull();
  }

  @Test
  @DisplayName("Timestamps are ISO-8601 UTC with milliseconds, even on a whole second")
  void isoMillis() {
    assertThat(ServiceView.iso(Instant.parse("2026-11-28T10:31:02Z"))).isEqualTo("2026-11-28T10:31:02.000Z");
    assertThat(ServiceView.iso(Instant.parse("2026-11-28T10:31:02.123456Z"))).isEqualTo("2026-11-28T10:31:02.123Z");
  }

  @Test
  @DisplayName("A lost node's view, hidden or not, is unreachable with every fact of its state gone")
  void unreachable() {
    for (JsonObject view : new JsonObject[] {
        new JsonObject().put("name", "pz").put("status", "active").put("active_state", "active").put("main_pid", 42)
            .put("status_check_allowed", true),
        new JsonObject().put("name", "backup").putNull("status").put("status_check_allowed", false)}) {
      JsonObject lost = ServiceView.unreachable(view);
      assertThat(lost.getString("status")).isEqualTo(ServiceView.UNREACHABLE);
      assertThat(lost.getValue("active_state")).isNull();
      assertThat(lost.getValue("main_pid")).isNull();
      assertThat(lost.getString("name")).isEqualTo(view.getString("name"));
    }
  }
}
