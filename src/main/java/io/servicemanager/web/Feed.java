package io.servicemanager.web;

import io.micrometer.core.instrument.Timer;
import io.servicemanager.Addresses;
import io.servicemanager.auth.Audience;
import io.servicemanager.auth.Identity;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one subscriber path of an HTTP instance, for /ws, SockJS and TCP alike: who is connected
 * ({@link Subscribers}: identity, session end, closed when rights change) and what each is pushed.
 * Every {@link PushKind}'s address is consumed once; the {@link FanOut} writes each message to every
 * subscriber that takes its kind, as its identity may see it ({@link Audience}), in its transport's
 * frame. A transport only says how it frames, writes and closes ({@link Subscriber}).
 */
final class Feed {
  /** A connection of any transport, as the feed sees it. */
  interface Subscriber extends FanOut.Subscriber {
    /** Closes the connection; {@code code} is a WebSocket close code where the transport has them. */
    void close(short code, String reason);
  }

  private final Subscribers<Object, Subscriber> subscribers;
  private final FanOut fanOut;
  private final Timer pushLatency;
  /** The last rejected reload's errors, until a valid reload: late /ws joiners are told too. */
  private JsonObject configErrors;

  Feed(Vertx vertx, Timer pushLatency) {
    this.pushLatency = pushLatency;
    this.subscribers = new Subscribers<>(vertx, this::close);
    this.fanOut = new FanOut(vertx.getOrCreateContext(), subscribers::values);
    for (PushKind kind : PushKind.values()) {
      vertx.eventBus().consumer(kind.address(), m -> push(kind, m));
    }
  }

  /** The fan-out's key for subscribers of one transport and one identity's rights. */
  static Object rights(String transport, Identity who) {
    return List.of(transport, Audience.of(who).key());
  }

  /** The next subscriber's place in line: made before it is added, so it is never sent half a merge. */
  long nextSeq() {
    return fanOut.nextSeq();
  }

  /**
   * @param connection the transport's own connection object, by which it is found and removed
   * @param expiresEpochSeconds when the caller's session ends (the connection is closed then); 0: never
   */
  void add(Object connection, Subscriber subscriber, long expiresEpochSeconds) {
    subscribers.add(connection, subscriber, expiresEpochSeconds);
  }

  Subscriber remove(Object connection) {
    return subscribers.remove(connection);
  }

  Subscriber get(Object connection) {
    return subscribers.get(connection);
  }

  /** The users file changed: every client of every transport reconnects under its current rights. */
  void closeAll() {
    subscribers.closeAll();
  }

  /** The /ws frame of the last rejected reload for a client that joins now, or null. */
  JsonObject configErrorsFor(Identity who) {
    JsonObject seen = configErrors == null ? null : PushKind.CONFIG_ERROR.seen(Audience.of(who), configErrors);
    return seen == null ? null : PushKind.CONFIG_ERROR.frame(seen);
  }

  private void close(Object connection, short code, String reason) {
    Subscriber subscriber = subscribers.get(connection);
    if (subscriber != null) {
      subscriber.close(code, reason);
    }
  }

  /**
   * A published message to every subscriber. A status that came from a signal records the push
   * latency: from that signal to its frame written (handed to the OS) to the last subscriber.
   */
  private void push(PushKind kind, Message<Object> m) {
    if (!(m.body() instanceof JsonObject message) || !kind.carries(message)) {
      return;
    }
    switch (kind) {
      case CONFIG_ERROR -> configErrors = message;
      case CATALOGUE -> configErrors = null;
      default -> { }
    }
    if (kind != PushKind.STATUS) {
      fanOut.publish(kind, who -> kind.seen(Audience.of(who), message));
      return;
    }
    String received = m.headers().get(Addresses.SIGNAL_RECEIVED_NANOS);
    long start = received == null ? 0 : Long.parseLong(received);
    fanOut.status(message.getString("name"), who -> kind.seen(Audience.of(who), message),
        received == null ? null : () -> pushLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
  }
}
