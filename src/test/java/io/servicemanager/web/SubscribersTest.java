package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SubscribersTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  /** Runs {@code body} on a Vert.x context, as the transports do, and waits for it. */
  private <T> T onContext(java.util.concurrent.Callable<T> body) throws Exception {
    CompletableFuture<T> done = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      try {
        done.complete(body.call());
      } catch (Exception e) {
        done.completeExceptionally(e);
      }
    });
    return done.get(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("A session's connection is closed with 1008 when it ends; a rights change closes every one with 1012")
  void expiryAndRightsChange() throws Exception {
    List<String> closed = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> expired = new CompletableFuture<>();
    Subscribers<String, String> subscribers = onContext(() -> new Subscribers<String, String>(vertx,
        (c, code, reason) -> {
          closed.add(c + " " + code + " " + reason);
          if (code == Subscribers.SESSION_EXPIRED) {
            expired.complete(null);
          }
        }));
    long soon = Instant.now().getEpochSecond() + 1;
    onContext(() -> {
      subscribers.add("session", "alice", soon);
      subscribers.add("token", "bot", 0);
      return null;
    });
    expired.get(30, TimeUnit.SECONDS);
    assertThat(closed).containsExactly("session 1008 session expired");
    onContext(() -> {
      subscribers.closeAll();
      return null;
    });
    assertThat(closed).contains("session 1012 users changed; reconnect", "token 1012 users changed; reconnect");
    assertThat(subscribers.get("token")).isEqualTo("bot");
  }

  @Test
  @DisplayName("A connection that is gone is forgotten, and its session's end closes nothing")
  void removed() throws Exception {
    List<String> closed = new CopyOnWriteArrayList<>();
    Subscribers<String, String> subscribers = onContext(() -> new Subscribers<String, String>(vertx,
        (c, code, reason) -> closed.add(c)));
    onContext(() -> {
      subscribers.add("gone", "alice", Instant.now().getEpochSecond() + 1);
      return subscribers.remove("gone");
    });
    assertThat(subscribers.size()).isZero();
    assertThat(subscribers.contains("gone")).isFalse();
    // Past the session's end plus a margin: a cancelled timer never fires.
    CompletableFuture<Void> later = new CompletableFuture<>();
    vertx.setTimer(2_500, id -> later.complete(null));
    later.get(30, TimeUnit.SECONDS);
    assertThat(closed).isEmpty();
  }
}
