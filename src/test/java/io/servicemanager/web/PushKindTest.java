package io.servicemanager.web;

import static io.servicemanager.web.BridgeRulesTest.ALICE;
import static io.servicemanager.web.BridgeRulesTest.TESTER;
import static io.servicemanager.web.BridgeRulesTest.VICTOR;
import static io.servicemanager.web.BridgeRulesTest.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
import io.servicemanager.auth.Audience;
import io.servicemanager.auth.Identity;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What each pushed kind shows an identity, on /ws and the bridges alike. */
class PushKindTest {
  static JsonObject seen(PushKind kind, Object message, Identity who) {
    return kind.seen(Audience.of(who), message);
  }

  @Test
  @DisplayName("A status of a foreign service never goes out; a viewer's copy has no actions; an operator's is as published")
  void status() {
    assertThat(seen(PushKind.STATUS, view("theirs"), ALICE)).isNull();
    assertThat(seen(PushKind.STATUS, view("mine"), ALICE)).isEqualTo(view("mine"));
    JsonObject seen = seen(PushKind.STATUS, view("mine"), VICTOR);
    assertThat(seen.getJsonArray("allowed_actions")).isEmpty();
    assertThat(seen.getString("status")).isEqualTo("active");
    assertThat(seen(PushKind.STATUS, "not a view", TESTER)).isNull();
    assertThat(seen(PushKind.STATUS, new JsonObject().put("status", "success"), ALICE))
        .as("a reply made to look like a status names no service").isNull();
  }

  @Test
  @DisplayName("An operation on a foreign service never goes out; nothing else published leaves over a bridge at all")
  void operationsAndOtherAddresses() {
    JsonObject theirs = new JsonObject().put("service", "theirs").put("action", "restart").put("user", "tester");
    JsonObject mine = theirs.copy().put("service", "mine");
    assertThat(seen(PushKind.OPERATION, theirs, ALICE)).isNull();
    assertThat(seen(PushKind.OPERATION, mine, ALICE)).isEqualTo(mine);
    assertThat(seen(PushKind.OPERATION, new JsonObject(), TESTER)).isNull();
    assertThat(Arrays.stream(PushKind.values()).filter(PushKind::bridged))
        .containsExactlyInAnyOrder(PushKind.STATUS, PushKind.OPERATION);
    assertThat(BridgeRules.OUTBOUND).containsExactlyInAnyOrder(Addresses.STATUS, Addresses.OPERATION);
    assertThat(BridgeRules.mayRegister(Addresses.CONFIG)).isFalse();
    assertThat(BridgeRules.mayRegister(Addresses.USERS)).isFalse();
  }

  @Test
  @DisplayName("A rejected configuration's errors reach only an identity that sees every service; a good configuration is no config_error")
  void configErrors() {
    JsonObject rejected = new JsonObject().put("errors", new io.vertx.core.json.JsonArray().add("services.yaml: bad"));
    assertThat(PushKind.CONFIG_ERROR.carries(rejected)).isTrue();
    assertThat(PushKind.CONFIG_ERROR.carries(new JsonObject().put("services", new JsonObject()))).isFalse();
    assertThat(seen(PushKind.CONFIG_ERROR, rejected, ALICE)).isNull();
    assertThat(PushKind.CONFIG_ERROR.frame(seen(PushKind.CONFIG_ERROR, rejected, TESTER)))
        .isEqualTo(WireFormat.configError(rejected.getJsonArray("errors")));
  }
}
