package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.auth.Identity;
import io.servicemanager.auth.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a fleet's dashboard feed carries of every node, and what each identity sees of it. */
class FleetViewsTest {
  static final Identity EVERYTHING = new Identity("tester", Role.OPERATOR, null);
  static final Identity GAME_X = new Identity("limited", Role.VIEWER, Set.of("game-*/x"));
  static final Identity PLAIN_X = new Identity("plain", Role.OPERATOR, Set.of("x"));

  static JsonObject view(String name) {
    return new JsonObject().put("name", name).put("status", "active").put("allowed_actions", new JsonArray().add("stop"));
  }

  static JsonObject nodeViews(String node, boolean replace, String... names) {
    JsonArray views = new JsonArray();
    for (String name : names) {
      views.add(view(name).put("node", node));
    }
    return new JsonObject().put("node", node).put("replace", replace).put("views", views);
  }

  static List<String> qualified(JsonArray views) {
    return views.stream().map(JsonObject.class::cast).map(v -> v.getString("node") + "/" + v.getString("name")).toList();
  }

  @Test
  @DisplayName("Every view carries its node, the dashboard's own too; each identity sees what users.yaml's node/name entries give it")
  void perIdentity() {
    FleetViews fleet = new FleetViews("dash");
    fleet.apply(nodeViews("game-1", true, "x", "y"));
    fleet.apply(nodeViews("web-1", true, "x"));
    JsonArray own = new JsonArray().add(view("x")).add(view("z"));

    assertThat(qualified(fleet.seenBy(EVERYTHING, own)))
        .containsExactly("dash/x", "dash/z", "game-1/x", "game-1/y", "web-1/x");
    assertThat(qualified(fleet.seenBy(GAME_X, own))).containsExactly("game-1/x");
    assertThat(fleet.seenBy(GAME_X, own).getJsonObject(0).getJsonArray("allowed_actions")).as("a viewer").isEmpty();
    assertThat(qualified(fleet.seenBy(PLAIN_X, own))).as("a plain name means the dashboard's own node").containsExactly("dash/x");
    assertThat(own.getJsonObject(0).containsKey("node")).as("the status verticle's views are not changed").isFalse();
  }

  @Test
  @DisplayName("A node's snapshot replaces what was shown of it; a change of its set of services asks for a new list; a change before its snapshot waits for it")
  void replaceAndChange() {
    FleetViews fleet = new FleetViews("dash");
    assertThat(fleet.apply(nodeViews("game-1", false, "x"))).isFalse();
    assertThat(fleet.seenBy(EVERYTHING, null)).isEmpty();
    assertThat(fleet.apply(nodeViews("game-1", true, "x", "y"))).as("a new node").isTrue();
    JsonObject lost = nodeViews("game-1", true, "x", "y");
    lost.getJsonArray("views").forEach(v -> ((JsonObject) v).put("status", "unreachable"));
    assertThat(fleet.apply(lost)).as("the same services").isFalse();
    assertThat(fleet.seenBy(EVERYTHING, null).stream().map(v -> ((JsonObject) v).getString("status")))
        .containsOnly("unreachable");
    assertThat(fleet.apply(nodeViews("game-1", true, "x"))).as("y is gone").isTrue();
    assertThat(qualified(fleet.seenBy(EVERYTHING, null))).containsExactly("game-1/x");
    assertThat(fleet.apply(nodeViews("dash", true, "x"))).as("its own node it has from its own status verticle").isFalse();
    assertThat(qualified(fleet.seenBy(EVERYTHING, null))).containsExactly("game-1/x");
  }

  static JsonObject message(String node, String service) {
    return new JsonObject().put("node", node).put("service", service).put("action", "restart").put("user", "tester");
  }

  @Test
  @DisplayName("Another node's operation or start failure reaches exactly the identities that see that service on that node; the dashboard's own carries its node")
  void messagesPerIdentity() {
    FleetViews fleet = new FleetViews("dash");
    JsonObject remote = message("game-1", "x");
    for (PushKind kind : List.of(PushKind.OPERATION, PushKind.START_FAILED)) {
      assertThat(fleet.seen(EVERYTHING, kind, remote)).isEqualTo(remote);
      assertThat(fleet.seen(GAME_X, kind, remote)).as("game-*/x, a viewer too").isEqualTo(remote);
      assertThat(fleet.seen(PLAIN_X, kind, remote)).as("a plain name means the dashboard's own node").isNull();
      assertThat(fleet.seen(GAME_X, kind, message("game-1", "y"))).as("another service there").isNull();
      assertThat(fleet.seen(GAME_X, kind, message("web-1", "x"))).as("the same service on another node").isNull();
      assertThat(fleet.seen(EVERYTHING, kind, new JsonObject().put("service", "x"))).as("no node: nothing").isNull();
    }
    JsonObject own = new JsonObject().put("service", "x").put("action", "stop");
    JsonObject onDash = fleet.ownMessage(own);
    assertThat(onDash.getString("node")).isEqualTo("dash");
    assertThat(own.containsKey("node")).as("the published message is not changed").isFalse();
    assertThat(fleet.seen(PLAIN_X, PushKind.OPERATION, onDash)).isEqualTo(onDash);
    assertThat(fleet.seen(GAME_X, PushKind.OPERATION, onDash)).isNull();
  }
}
