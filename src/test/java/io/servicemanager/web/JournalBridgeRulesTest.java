package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
import io.servicemanager.auth.Identity;
import io.servicemanager.auth.Role;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The event-bus bridges (SockJS and TCP) carry no journal and no resource figures")
class JournalBridgeRulesTest {
  static final List<String> ADDRESSES = List.of(Addresses.JOURNAL, Addresses.JOURNAL_FOLLOW,
      Addresses.JOURNAL_ENTRIES, Addresses.RESOURCES);

  @Test
  @DisplayName("no client may register for, send to or receive from the journal and resources addresses")
  void refused() {
    Identity everything = new Identity("tester", Role.OPERATOR, null);
    for (String address : ADDRESSES) {
      assertThat(BridgeRules.mayRegister(address)).as(address).isFalse();
      assertThat(BridgeRules.maySend(address)).as(address).isFalse();
      assertThat(BridgeRules.outbound(address, new JsonObject().put("service", "pzserver")
          .put("entries", new io.vertx.core.json.JsonArray()), everything)).as(address).isNull();
    }
  }
}
