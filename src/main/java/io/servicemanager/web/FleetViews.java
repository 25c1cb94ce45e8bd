package io.servicemanager.web;

import io.servicemanager.auth.Audience;
import io.servicemanager.auth.FleetPatterns;
import io.servicemanager.auth.Identity;
import io.servicemanager.status.ServiceView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a clustered dashboard's {@link Feed} carries besides its own services: every other node's
 * views, as the fleet directory tells them ({@link io.servicemanager.Addresses#FLEET_VIEWS}), each
 * with its {@code node}, and their operations and start failures. Its own views and messages get its
 * node name too. What one identity sees of any of them is {@link FleetPatterns#view}'s answer, the
 * rule of {@code /api/nodes/{node}/services}, or for a message, whether it sees that service there.
 * Used on the feed's event loop only.
 */
final class FleetViews {
  private final String dashboard;
  /** By node, then by service name, in the order each node listed them. */
  private final Map<String, Map<String, JsonObject>> byNode = new TreeMap<>();

  /** @param dashboard this node's name */
  FleetViews(String dashboard) {
    this.dashboard = dashboard;
  }

  String dashboard() {
    return dashboard;
  }

  /** One of this node's own views as the fleet shows it: with this node's name. */
  JsonObject own(JsonObject view) {
    return ServiceView.onNode(view, dashboard);
  }

  /** A view as {@code who} may see it; null when it may not. */
  JsonObject seen(Identity who, JsonObject fleetView) {
    return FleetPatterns.view(who, dashboard, fleetView);
  }

  /** One of this node's own operations or start failures as the fleet shows it: with this node's name. */
  JsonObject ownMessage(JsonObject message) {
    return message.copy().put(FleetPatterns.NODE, dashboard);
  }

  /**
   * A node's message about one of its services ({@code node} and {@code service}: an operation, a
   * start failure) as {@code who} may see it: {@code kind}'s own rule for what {@code who} is on
   * that node ({@link FleetPatterns#onNode}), so exactly whoever may see that service's view there;
   * null when it may not.
   */
  JsonObject seen(Identity who, PushKind kind, JsonObject message) {
    if (!(message.getValue(FleetPatterns.NODE) instanceof String node) || !(message.getValue("service") instanceof String service)) {
      return null;
    }
    return kind.seen(Audience.of(FleetPatterns.onNode(who, dashboard, node, List.of(service))), message);
  }

  /**
   * Takes in a {@code servicemanager.fleet.views} message; true when the node's set of services changed
   * (a node seen for the first time, or whose catalogue changed), so clients need a whole new list.
   */
  boolean apply(JsonObject message) {
    String node = message.getString(FleetPatterns.NODE);
    JsonArray views = message.getJsonArray("views", new JsonArray());
    if (node == null || node.equals(dashboard)) {
      return false;
    }
    if (!message.getBoolean("replace", false)) {
      Map<String, JsonObject> known = byNode.get(node);
      if (known == null) {
        return false; // a change before the node's snapshot: the snapshot, coming, holds it
      }
      views.forEach(v -> known.put(((JsonObject) v).getString("name"), (JsonObject) v));
      return false;
    }
    Map<String, JsonObject> fresh = new LinkedHashMap<>();
    views.forEach(v -> fresh.put(((JsonObject) v).getString("name"), (JsonObject) v));
    Map<String, JsonObject> old = byNode.put(node, fresh);
    return old == null || !old.keySet().equals(fresh.keySet());
  }

  /** The directory's list ({@link io.servicemanager.Addresses#FLEET_NODES}), for nodes not heard of yet. */
  void fill(JsonObject nodes) {
    nodes.getJsonArray("nodes", new JsonArray()).forEach(raw -> {
      JsonObject node = (JsonObject) raw;
      if (!byNode.containsKey(node.getString(FleetPatterns.NODE))) {
        apply(new JsonObject().put(FleetPatterns.NODE, node.getString(FleetPatterns.NODE)).put("replace", true)
            .put("views", node.getJsonArray("services")));
      }
    });
  }

  /** Every view {@code who} may see: this node's own ({@code own}, as its status verticle has them), then the others'. */
  JsonArray seenBy(Identity who, JsonArray own) {
    JsonArray seen = new JsonArray();
    if (own != null) {
      own.forEach(v -> add(seen, seen(who, own((JsonObject) v))));
    }
    byNode.values().forEach(views -> views.values().forEach(v -> add(seen, seen(who, v))));
    return seen;
  }

  private static void add(JsonArray seen, JsonObject view) {
    if (view != null) {
      seen.add(view);
    }
  }
}
