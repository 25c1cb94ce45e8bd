package io.servicemanager.web;

import io.servicemanager.Addresses;
import io.servicemanager.auth.Audience;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every kind of message pushed to subscribers, whatever their transport: the event-bus address it
 * is published on, what one identity may see of a message ({@link Audience}; null: nothing), its
 * /ws frame, and whether the event-bus bridges carry it (a bridge client registers the address and
 * is sent each message as its identity sees it, in the bridge's own envelope).
 *
 * <p>A new kind is one constant here: {@link Feed} consumes its address, and {@link FanOut} takes
 * each message to every /ws socket and, when bridged, to every SockJS and TCP client that registered
 * its address, under the same rules, in the order published.
 */
enum PushKind {
  /** A service's new state; a newer one of the same service replaces an older one not yet sent. */
  STATUS(Addresses.STATUS, true, Audience::view, WireFormat::status),
  /** An operation that reached systemd, once it is recorded. */
  OPERATION(Addresses.OPERATION, true, Audience::operation, WireFormat::operation),
  /** A start reported done that failed within a minute after it: the follow-up for whoever pressed Start. */
  START_FAILED(Addresses.START_FAILED, false, Audience::startFailed, WireFormat::startFailed),
  /** A reloaded catalogue: the whole list again, as the identity sees it. */
  CATALOGUE(Addresses.CATALOGUE, false,
      (audience, m) -> new JsonObject().put("services", audience.views(m.getJsonArray("services"))),
      seen -> WireFormat.snapshot(seen.getJsonArray("services"))),
  /** A reload that failed validation (the last good configuration stays); its errors may name any service. */
  CONFIG_ERROR(Addresses.CONFIG, false, Audience::configErrors,
      seen -> WireFormat.configError(seen.getJsonArray("errors")));

  private final String address;
  private final boolean bridged;
  private final BiFunction<Audience, JsonObject, JsonObject> seen;
  private final Function<JsonObject, JsonObject> frame;

  PushKind(String address, boolean bridged, BiFunction<Audience, JsonObject, JsonObject> seen,
      Function<JsonObject, JsonObject> frame) {
    this.address = address;
    this.bridged = bridged;
    this.seen = seen;
    this.frame = frame;
  }

  String address() {
    return address;
  }

  boolean bridged() {
    return bridged;
  }

  /** Whether a message on the address is one of this kind: servicemanager.config also carries good configurations. */
  boolean carries(JsonObject message) {
    return message != null && (this != CONFIG_ERROR || message.containsKey("errors"));
  }

  /** The message as {@code audience} may see it, or null when nothing of it may reach them (or it is not JSON). */
  JsonObject seen(Audience audience, Object message) {
    return message instanceof JsonObject json ? seen.apply(audience, json) : null;
  }

  /** The /ws frame for what an identity may see of a message. */
  JsonObject frame(JsonObject seen) {
    return frame.apply(seen);
  }

  /** The addresses a bridge client may register. */
  static Set<String> bridgedAddresses() {
    return Arrays.stream(values()).filter(PushKind::bridged).map(PushKind::address).collect(Collectors.toUnmodifiableSet());
  }
}
