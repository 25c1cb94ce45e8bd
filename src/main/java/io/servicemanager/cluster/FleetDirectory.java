package io.servicemanager.cluster;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.auth.Identity;
import io.servicemanager.auth.Role;
import io.servicemanager.status.ServiceView;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dashboard node's picture of the fleet: every node heard from, whether it is reachable, since when,
 * and its views. A node that leaves the cluster, or is not heard from for {@link #SILENCE_MS}, is shown
 * {@code unreachable} at once; when it is heard again its fresh snapshot replaces what was shown. A
 * restarted dashboard starts empty and learns every node from their next announcements.
 *
 * <p>Every change runs on the fleet Vert.x instance's one context; the local bus only reads copies.
 */
final class FleetDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(FleetDirectory.class);
  /** Three announcements missed, well inside the 5 s the dashboard promises. */
  static final long SILENCE_MS = 3000;
  private static final long CHECK_MS = 500;
  /**
   * The dashboard's own read of a node: every view whole, allowed actions included, as the node
   * publishes them; each client is shown only what its own identity may see of them. It never acts.
   */
  private static final Identity DIRECTORY = new Identity("fleet-directory", Role.OPERATOR, null);
  private final Vertx local;
  private final Vertx fleet;
  private final String me;
  /** By node name; touched only on the fleet context. */
  private final Map<String, NodeState> nodes = new TreeMap<>();
  private volatile JsonArray published = new JsonArray();

  /** What is known of one node. */
  private static final class NodeState {
    String nodeId;
    String since;
    long generation = -1;
    long lastHeardNanos;
    boolean reachable;
    String reachableSince;
    boolean fetching;
    /** How often it was lost: a snapshot asked for before the latest loss is a remembered state. */
    int losses;
    final Map<String, JsonObject> views = new LinkedHashMap<>();
  }

  FleetDirectory(Vertx local, Vertx fleet, String me) {
    this.local = local;
    this.fleet = fleet;
    this.me = me;
  }

  /** Call on the fleet instance's context (a verticle's start). */
  void start() {
    fleet.eventBus().<JsonObject>consumer(Addresses.FLEET_ANNOUNCE, m -> heard(m.body()));
    fleet.eventBus().<JsonObject>consumer(Addresses.FLEET_STATUS, m -> status(m.body()));
    fleet.eventBus().<JsonObject>consumer(Addresses.FLEET_OPERATION, m -> relay(Addresses.FLEET_OPERATION, m.body()));
    fleet.eventBus().<JsonObject>consumer(Addresses.FLEET_START_FAILED, m -> relay(Addresses.FLEET_START_FAILED, m.body()));
    fleet.setPeriodic(CHECK_MS, t -> checkSilence());
    local.eventBus().<JsonObject>localConsumer(Addresses.FLEET_NODES,
        m -> m.reply(new JsonObject().put("dashboard", me).put("nodes", published.copy())));
    local.eventBus().<JsonObject>localConsumer(Addresses.FLEET_REQUEST, this::forward);
    fleet.eventBus().<JsonObject>consumer(Addresses.ofNode(me, Addresses.NODE_JOURNAL_ENTRIES),
        m -> local.eventBus().publish(Addresses.FLEET_JOURNAL_ENTRIES, m.body()));
  }

  /** A member left the cluster (Hazelcast's membership): its node is unreachable now, not after the silence. */
  void memberLeft(String nodeId) {
    nodes.forEach((node, state) -> {
      if (nodeId.equals(state.nodeId)) {
        lose(node, state, "left the cluster");
      }
    });
    publish();
  }

  private void heard(JsonObject announce) {
    String node = announce.getString("node");
    NodeState state = nodes.computeIfAbsent(node, n -> new NodeState());
    state.lastHeardNanos = System.nanoTime();
    boolean changed = !state.reachable || !announce.getString("since", "").equals(state.since)
        || announce.getLong("generation", 0L) != state.generation;
    state.nodeId = announce.getString("node_id");
    if (changed && !state.fetching) {
      state.since = announce.getString("since");
      state.generation = announce.getLong("generation", 0L);
      fetch(node, state);
    }
  }

  /** The node's fresh snapshot replaces whatever was shown for it. */
  private void fetch(String node, NodeState state) {
    state.fetching = true;
    int lossesBefore = state.losses;
    fleet.eventBus().<JsonObject>request(Addresses.ofNode(node, Addresses.NODE_SNAPSHOT),
            new JsonObject().put("identity", DIRECTORY.toJson()).put("dashboard", me),
            new DeliveryOptions().setSendTimeout(SILENCE_MS))
        .onComplete(ar -> {
          state.fetching = false;
          if (ar.failed() || state.losses != lossesBefore) {
            return; // the next announcement tries again
          }
          state.views.clear();
          ar.result().body().getJsonArray("services", new JsonArray())
              .forEach(v -> state.views.put(((JsonObject) v).getString("name"), (JsonObject) v));
          if (!state.reachable) {
            state.reachable = true;
            state.reachableSince = Instant.now().toString();
            LOG.info("fleet: node {} reachable ({} services)", node, state.views.size());
          }
          publish();
          tellFeed(node, state.views.values(), true);
        });
  }

  private void status(JsonObject message) {
    NodeState state = nodes.get(message.getString("node"));
    JsonObject view = message.getJsonObject("view");
    if (state != null && state.reachable && view != null) {
      state.views.put(view.getString("name"), view);
      publish();
      tellFeed(message.getString("node"), List.of(view), false);
    }
  }

  private void checkSilence() {
    long now = System.nanoTime();
    boolean lost = false;
    for (Map.Entry<String, NodeState> e : nodes.entrySet()) {
      NodeState state = e.getValue();
      if (state.reachable && now - state.lastHeardNanos > TimeUnit.MILLISECONDS.toNanos(SILENCE_MS)) {
        lose(e.getKey(), state, "silent for " + SILENCE_MS + " ms");
        lost = true;
      }
    }
    if (lost) {
      publish();
    }
  }

  /** Never a remembered state: every view of a lost node says unreachable. */
  private void lose(String node, NodeState state, String why) {
    if (!state.reachable) {
      return;
    }
    LOG.info("fleet: node {} unreachable ({})", node, why);
    state.reachable = false;
    state.losses++;
    state.reachableSince = Instant.now().toString();
    state.views.replaceAll((name, view) -> ServiceView.unreachable(view));
    tellFeed(node, state.views.values(), true);
  }

  /** Another node's operation or start failure, to the HTTP layer's feed; its own the feed hears on the local bus. */
  private void relay(String address, JsonObject message) {
    if (!me.equals(message.getString("node"))) {
      local.eventBus().publish(address, message);
    }
  }

  /** The HTTP layer's feed hears every other node's views ({@link Addresses#FLEET_VIEWS}); its own it has. */
  private void tellFeed(String node, Collection<JsonObject> views, boolean replace) {
    if (!me.equals(node)) {
      local.eventBus().publish(Addresses.FLEET_VIEWS, new JsonObject().put("node", node).put("replace", replace)
          .put("views", new JsonArray(views.stream().map(JsonObject::copy).toList())));
    }
  }

  private void publish() {
    JsonArray list = new JsonArray();
    nodes.forEach((node, state) -> list.add(new JsonObject().put("node", node).put("reachable", state.reachable)
        .put("since", state.reachableSince).put("services", new JsonArray(state.views.values().stream().map(JsonObject::copy).toList()))));
    published = list;
  }

  /** A dashboard's request to one node, answered by that node; a node not in the fleet or lost is said so. */
  private void forward(Message<JsonObject> m) {
    JsonObject request = m.body();
    String node = request.getString("node");
    JsonObject known = published.stream().map(JsonObject.class::cast).filter(n -> n.getString("node").equals(node))
        .findFirst().orElse(null);
    if (known == null) {
      m.reply(failure(ErrorCode.UNKNOWN_NODE, "no node named " + ErrorCode.quote(String.valueOf(node))));
      return;
    }
    String kind = request.getString("kind");
    if (!known.getBoolean("reachable")) {
      // What a dashboard shows of a lost node: its services, each unreachable; it can do nothing there.
      m.reply(Addresses.NODE_SNAPSHOT.equals(kind)
          ? new JsonObject().put("node", node).put("unreachable", true).put("dashboard", me).put("services", known.getJsonArray("services"))
          : failure(ErrorCode.NODE_UNREACHABLE, "node " + node + " is unreachable"));
      return;
    }
    long timeout = Addresses.NODE_ACTION.equals(kind) ? NodeEndpoint.ACTION_TIMEOUT_MS : SILENCE_MS * 2;
    fleet.eventBus().<JsonObject>request(Addresses.ofNode(node, kind), request.getJsonObject("body").copy().put("dashboard", me),
            new DeliveryOptions().setSendTimeout(timeout))
        .onSuccess(reply -> m.reply(reply.body()))
        .onFailure(e -> m.reply(failure(ErrorCode.NODE_UNREACHABLE, "node " + node + " did not answer: " + e.getMessage())));
  }

  static JsonObject failure(ErrorCode code, String message) {
    return new JsonObject().put("error", code.code()).put("message", message);
  }
}
