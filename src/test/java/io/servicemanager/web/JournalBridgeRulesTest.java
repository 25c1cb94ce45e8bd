package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
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
    for (String address : ADDRESSES) {
      assertThat(BridgeRules.mayRegister(address)).as(address).isFalse();
      assertThat(BridgeRules.maySend(address)).as(address).isFalse();
      // Only the bridged push kinds ever go out over a bridge, whoever the client is.
      assertThat(BridgeRules.OUTBOUND).as(address).doesNotContain(address);
      assertThat(java.util.Arrays.stream(PushKind.values()).map(PushKind::address)).as(address).doesNotContain(address);
    }
  }
}
