package io.servicemanager.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IdentityTest {
  @Test
  @DisplayName("An identity survives the event bus as JSON; anything malformed is no identity at all")
  void json() {
    Identity alice = new Identity("alice", Role.OPERATOR, Set.of("pzserver"));
    Identity all = new Identity("token:bot", Role.VIEWER, null);
    assertThat(Identity.fromJson(alice.toJson())).contains(alice);
    assertThat(Identity.fromJson(all.toJson())).contains(all);
    for (Object bad : new Object[] {null, "alice", new JsonObject(), new JsonObject().put("name", "a").put("role", "root"),
        new JsonObject().put("name", "").put("role", "viewer"),
        new JsonObject().put("name", "a").put("role", "viewer").put("services", "pzserver"),
        new JsonObject().put("name", "a").put("role", "viewer").put("services", new JsonArray().add(1))}) {
      assertThat(Identity.fromJson(bad)).as(String.valueOf(bad)).isEmpty();
    }
  }

  @Test
  @DisplayName("A list limits what exists; without one every service does (what each may do: AudienceTest)")
  void rights() {
    Identity viewer = new Identity("v", Role.VIEWER, null);
    Identity limited = new Identity("o", Role.OPERATOR, Set.of("pzserver"));
    assertThat(viewer.mayAct()).isFalse();
    assertThat(limited.mayAct()).isTrue();
    assertThat(viewer.sees("anything")).isTrue();
    assertThat(limited.sees("pzserver")).isTrue();
    assertThat(limited.sees("backup")).isFalse();
  }
}
