package io.servicemanager.web;

import io.micrometer.core.instrument.Timer;
import io.servicemanager.Addresses;
import io.servicemanager.auth.Audience;
import io.servicemanager.auth.FleetPatterns;
import io.servicemanager.auth.Identity;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one subscriber path of an HTTP instance, for /ws, SockJS and TCP alike: who is connected
 * ({@link Subscribers}: identity, session end, closed when rights change) and what each is pushed.
 * Every {@link PushKind}'s address is consumed once; the {@link FanOut} writes each message to every
 * subscriber that takes its kind, as its identity may see it ({@link Audience}), in its transport's
 * frame. A transport only says how it frames, writes and closes ({@link Subscriber}).
 *
 * <p>On a fleet's dashboard node it also carries every other node's views ({@link FleetViews}), as
 * status pushes and in every snapshot, each view with its {@code node}, seen per identity by
 * {@link FleetPatterns#view}, and every node's operations and start failures with their {@code node},
 * to whoever may see that service on that node; a standalone server's feed does none of that work.
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
  private final Vertx vertx;
  /** Other nodes' views on a clustered dashboard; null when standalone. */
  private final FleetViews fleet;
  /** The last rejected reload's errors, until a valid reload: late /ws joiners are told too. */
  private JsonObject configErrors;

  Feed(Vertx vertx, Timer pushLatency) {
    this(vertx, pushLatency, null);
  }

  /**
   * @param node this dashboard's node name in a fleet, whose every reachable node's services it then
   *     carries ({@link FleetViews}); null for a standalone server, whose frames stay as they were
   */
  Feed(Vertx vertx, Timer pushLatency, String node) {
    this.vertx = vertx;
    this.pushLatency = pushLatency;
    this.subscribers = new Subscribers<>(vertx, this::close);
    this.fanOut = new FanOut(vertx.getOrCreateContext(), subscribers::values);
    this.fleet = node == null ? null : new FleetViews(node);
    for (PushKind kind : PushKind.values()) {
      vertx.eventBus().consumer(kind.address(), m -> push(kind, m));
    }
    if (fleet != null) {
      vertx.eventBus().<JsonObject>consumer(Addresses.FLEET_VIEWS, m -> fleetViews(m.body()));
      vertx.eventBus().<JsonObject>consumer(Addresses.FLEET_OPERATION, m -> fleetMessage(PushKind.OPERATION, m.body()));
      vertx.eventBus().<JsonObject>consumer(Addresses.FLEET_START_FAILED, m -> fleetMessage(PushKind.START_FAILED, m.body()));
      // The directory usually starts after the HTTP layer; should it be there already, what it knows.
      vertx.eventBus().<JsonObject>request(Addresses.FLEET_NODES, new JsonObject())
          .onSuccess(reply -> fleet.fill(reply.body()));
    }
  }

  /** Every view {@code who} may see, from the status verticle's {@code own}: in a fleet each node's, with its {@code node}. */
  JsonArray views(Identity who, JsonArray own) {
    return fleet == null ? Audience.of(who).views(own) : fleet.seenBy(who, own);
  }

  /** The status verticle's snapshot reply ({@code services}, {@code dbus}) as {@code who} may see it, as the bridges answer it. */
  JsonObject snapshot(Object reply, Identity who) {
    if (fleet == null) {
      return BridgeRules.snapshot(reply, who);
    }
    JsonObject full = reply instanceof JsonObject json ? json : new JsonObject();
    return new JsonObject().put("services", views(who, full.getValue("services") instanceof JsonArray list ? list : null))
        .put("dbus", full.getValue("dbus"));
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
      if (fleet != null && kind == PushKind.CATALOGUE) {
        JsonArray own = message.getJsonArray("services");
        fanOut.publish(kind, who -> new JsonObject().put("services", fleet.seenBy(who, own)));
        return;
      }
      if (fleet != null && (kind == PushKind.OPERATION || kind == PushKind.START_FAILED)) {
        fleetMessage(kind, fleet.ownMessage(message));
        return;
      }
      fanOut.publish(kind, who -> kind.seen(Audience.of(who), message));
      return;
    }
    String received = m.headers().get(Addresses.SIGNAL_RECEIVED_NANOS);
    long start = received == null ? 0 : Long.parseLong(received);
    Runnable written = received == null ? null : () -> pushLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    if (fleet == null) {
      fanOut.status(message.getString("name"), who -> kind.seen(Audience.of(who), message), written);
      return;
    }
    JsonObject view = fleet.own(message);
    fanOut.status(message.getString("name"), who -> fleet.seen(who, view), written);
  }

  /** An operation or start failure of a fleet node (with its {@code node}), to whoever may see that service there. */
  private void fleetMessage(PushKind kind, JsonObject message) {
    fanOut.publish(kind, who -> fleet.seen(who, kind, message));
  }

  /**
   * Another node's views: each pushed as a status to whoever may see it (merged per node and service);
   * when the node's set of services changed, every client is sent its whole list again as well.
   */
  private void fleetViews(JsonObject message) {
    boolean changed = fleet.apply(message);
    String node = message.getString(FleetPatterns.NODE);
    message.getJsonArray("views", new JsonArray()).forEach(raw -> {
      JsonObject view = (JsonObject) raw;
      fanOut.status(node + FleetPatterns.SEPARATOR + view.getString("name"), who -> fleet.seen(who, view), null);
    });
    if (changed) {
      vertx.eventBus().<JsonObject>request(Addresses.SNAPSHOT, new JsonObject()).onSuccess(reply -> {
        JsonArray own = reply.body().getJsonArray("services");
        fanOut.publish(PushKind.CATALOGUE, who -> new JsonObject().put("services", fleet.seenBy(who, own)));
      });
    }
  }
}
