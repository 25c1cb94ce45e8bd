package io.servicemanager.web;

import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connections, written once for /ws, SockJS and TCP (one set of them per {@link Feed}): each
 * connection's entry (its identity and whatever the transport keeps with it), its session's end (the
 * connection is closed then), and closing every one when rights change, so each client comes back
 * under its current rights.
 *
 * @param <C> the connection, by which its entry is found
 * @param <S> what is kept per connection
 */
final class Subscribers<C, S> {
  /** Close codes, the same on /ws and SockJS. */
  static final short SESSION_EXPIRED = 1008;
  static final short RIGHTS_CHANGED = 1012;

  /** How a transport closes one of its connections. */
  interface Closer<C> {
    void close(C connection, short code, String reason);
  }

  private final Vertx vertx;
  private final Closer<C> closer;
  private final Map<C, S> entries = new LinkedHashMap<>();
  private final Map<C, Long> expiries = new HashMap<>();

  Subscribers(Vertx vertx, Closer<C> closer) {
    this.vertx = vertx;
    this.closer = closer;
  }

  /** @param expiresEpochSeconds when the connection's session ends (it is closed then); 0: never */
  void add(C connection, S entry, long expiresEpochSeconds) {
    entries.put(connection, entry);
    if (expiresEpochSeconds > 0) {
      expiries.put(connection, vertx.setTimer(Math.max(1, expiresEpochSeconds * 1000 - System.currentTimeMillis()),
          id -> closer.close(connection, SESSION_EXPIRED, "session expired")));
    }
  }

  /** The connection is gone: its entry (or null) is returned and its session timer cancelled. */
  S remove(C connection) {
    Long timer = expiries.remove(connection);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
    return entries.remove(connection);
  }

  S get(C connection) {
    return entries.get(connection);
  }

  boolean contains(C connection) {
    return entries.containsKey(connection);
  }

  Collection<S> values() {
    return entries.values();
  }

  List<C> connections() {
    return List.copyOf(entries.keySet());
  }

  int size() {
    return entries.size();
  }

  /** The users file changed: every connection reconnects and is let in, or not, under the new rights. */
  void closeAll() {
    connections().forEach(c -> closer.close(c, RIGHTS_CHANGED, "users changed; reconnect"));
  }
}
