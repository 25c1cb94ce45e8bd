package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
import io.servicemanager.auth.Identity;
import io.servicemanager.auth.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BridgeRulesTest {
  static final Identity ALICE = new Identity("alice", Role.OPERATOR, Set.of("mine"));
  static final Identity VICTOR = new Identity("victor", Role.VIEWER, null);
  static final Identity TESTER = new Identity("tester", Role.OPERATOR, null);

  static JsonObject view(String name) {
    return new JsonObject().put("name", name).put("status", "active")
        .put("allowed_actions", new JsonArray().add("start").add("stop").add("restart"));
  }

  @Test
  @DisplayName("Only status and operation may be registered, only action and snapshot sent")
  void addresses() {
    assertThat(BridgeRules.mayRegister(Addresses.STATUS)).isTrue();
    assertThat(BridgeRules.mayRegister(Addresses.OPERATION)).isTrue();
    for (String other : new String[] {Addresses.ACTION, Addresses.SNAPSHOT, Addresses.CONFIG, Addresses.USERS,
        Addresses.CATALOGUE, Addresses.BUS_STATE, "servicemanager.status.x", "", null}) {
      assertThat(BridgeRules.mayRegister(other)).as("register %s", other).isFalse();
    }
    assertThat(BridgeRules.maySend(Addresses.ACTION)).isTrue();
    assertThat(BridgeRules.maySend(Addresses.SNAPSHOT)).isTrue();
    for (String other : new String[] {Addresses.STATUS, Addresses.OPERATION, Addresses.CONFIG, Addresses.USERS, null}) {
      assertThat(BridgeRules.maySend(other)).as("send %s", other).isFalse();
    }
  }

  @Test
  @DisplayName("A client's reply address may be anything but one of ours")
  void replyAddresses() {
    assertThat(BridgeRules.mayReplyTo(null)).isTrue();
    assertThat(BridgeRules.mayReplyTo("6f1c0b7e-1d2a-4c3b-9a8d-0e1f2a3b4c5d")).isTrue();
    assertThat(BridgeRules.mayReplyTo(Addresses.STATUS)).isFalse();
    assertThat(BridgeRules.mayReplyTo("servicemanager.anything")).isFalse();
    assertThat(BridgeRules.mayReplyTo(42)).isFalse();
  }

  @Test
  @DisplayName("An action request carries the connection's identity and only service and action, whatever the client wrote")
  void actionIdentityIsTheConnections() {
    JsonObject forged = new JsonObject().put("service", "mine").put("action", "restart").put("user", "root")
        .put("identity", new JsonObject().put("name", "root").put("role", "operator").putNull("services"));
    assertThat(BridgeRules.inbound(Addresses.ACTION, forged, ALICE)).isEqualTo(new JsonObject()
        .put("service", "mine").put("action", "restart").put("identity", ALICE.toJson()));
    assertThat(BridgeRules.inbound(Addresses.ACTION, "restart everything", ALICE))
        .as("a body that is not an object still carries the identity; the action verticle answers bad_request")
        .isEqualTo(new JsonObject().put("identity", ALICE.toJson()));
    assertThat(BridgeRules.inbound(Addresses.SNAPSHOT, forged, ALICE)).isEqualTo(new JsonObject());
  }

  @Test
  @DisplayName("A snapshot reply holds only the identity's services, with the identity's actions")
  void snapshot() {
    JsonObject full = new JsonObject().put("services", new JsonArray().add(view("mine")).add(view("theirs")))
        .put("dbus", "connected");
    JsonObject alices = BridgeRules.snapshot(full, ALICE);
    assertThat(alices.getJsonArray("services")).containsExactly(view("mine"));
    assertThat(alices.getString("dbus")).isEqualTo("connected");
    JsonObject victors = BridgeRules.snapshot(full, VICTOR);
    assertThat(victors.getJsonArray("services")).hasSize(2)
        .allSatisfy(v -> assertThat(((JsonObject) v).getJsonArray("allowed_actions")).isEmpty());
    assertThat(BridgeRules.snapshot(null, TESTER).getJsonArray("services")).isEmpty();
  }
}
