package io.servicemanager.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WatchTargetTest {
  @Test
  @DisplayName("A server's base URL means its /ws; a ws(s) URL is the feed itself")
  void baseUrlOrFeed() {
    assertThat(WatchTarget.parse("http://127.0.0.1:8080")).isEqualTo(new WatchTarget("127.0.0.1", 8080, false, "/ws"));
    assertThat(WatchTarget.parse("http://127.0.0.1:8080/")).isEqualTo(new WatchTarget("127.0.0.1", 8080, false, "/ws"));
    assertThat(WatchTarget.parse("https://sm.example.org/manager/"))
        .isEqualTo(new WatchTarget("sm.example.org", 443, true, "/manager/ws"));
    assertThat(WatchTarget.parse("ws://localhost:9090/ws")).isEqualTo(new WatchTarget("localhost", 9090, false, "/ws"));
    assertThat(WatchTarget.parse("wss://sm.example.org")).isEqualTo(new WatchTarget("sm.example.org", 443, true, "/ws"));
    assertThat(WatchTarget.parse("WS://h/feed?x=1")).isEqualTo(new WatchTarget("h", 80, false, "/feed?x=1"));
    assertThat(WatchTarget.parse("http://[::1]:8080")).isEqualTo(new WatchTarget("::1", 8080, false, "/ws"));
    assertThat(WatchTarget.parse("http://[::1]:8080")).hasToString("ws://[::1]:8080/ws");
  }

  @Test
  @DisplayName("A URL without a host, with another scheme, user info or a fragment, or not a URL at all, is refused with what is expected")
  void badUrls() {
    for (String bad : List.of("", "127.0.0.1:8080", "localhost", "ftp://h/ws", "http://", "http:///ws", "ws://user:pw@h/ws",
        "http://h/#x", "http://h:port", "http://h h")) {
      assertThatThrownBy(() -> WatchTarget.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--url must be http(s)://HOST[:PORT] (the server) or ws(s)://HOST[:PORT]/ws (its feed)");
    }
  }
}
