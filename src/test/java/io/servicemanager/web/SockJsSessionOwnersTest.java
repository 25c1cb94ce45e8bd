package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SockJsSessionOwnersTest {
  Vertx vertx;
  SockJsSessionOwners owners;

  @BeforeEach
  void create() {
    vertx = Vertx.vertx();
    owners = new SockJsSessionOwners(vertx, "/eventbus");
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  @DisplayName("The session is the second path element after the mount; /info and the raw WebSocket have none")
  void sessionOfAPath() {
    assertThat(owners.sessionOf("/eventbus/123/abcdefgh/xhr_send")).isEqualTo("abcdefgh");
    assertThat(owners.sessionOf("/eventbus/info")).isNull();
    assertThat(owners.sessionOf("/eventbus/websocket")).isNull();
    assertThat(owners.sessionOf("/other/123/abcdefgh/xhr")).isNull();
  }

  @Test
  @DisplayName("The identity whose request opens a session owns it; another one is refused on every transport until it is released")
  void firstOpenerOwns() {
    assertThat(owners.admit("/eventbus/1/s1/xhr_streaming", "alice")).isTrue();
    assertThat(owners.admit("/eventbus/1/s1/xhr_send", "alice")).isTrue();
    assertThat(owners.admit("/eventbus/1/s1/xhr_send", "victor")).isFalse();
    assertThat(owners.admit("/eventbus/1/s1/xhr", "victor")).isFalse();
    owners.release("s1");
    assertThat(owners.admit("/eventbus/1/s1/xhr", "victor")).isTrue();
  }

  @Test
  @DisplayName("Sending into an unknown session claims nothing: it stays free for whoever opens it")
  void sendClaimsNothing() {
    assertThat(owners.admit("/eventbus/1/s2/xhr_send", "victor")).isTrue();
    assertThat(owners.admit("/eventbus/1/s2/eventsource", "victor")).isTrue();
    assertThat(owners.admit("/eventbus/1/s2/xhr", "alice")).isTrue();
    assertThat(owners.admit("/eventbus/1/s2/xhr_send", "victor")).isFalse();
  }
}
