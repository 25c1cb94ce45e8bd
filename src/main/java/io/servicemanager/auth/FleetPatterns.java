package io.servicemanager.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an identity's service list means on one fleet node: users.yaml names services as
 * {@code node/name}, with {@code *} in either part ({@code game-*}{@code /pzserver}); a plain
 * {@code name} means that service on the dashboard's own node. The node applies this to its own
 * services, so a list can never name what the node's services.yaml does not have.
 */
public final class FleetPatterns {
  public static final char SEPARATOR = '/';
  /** The field of a view, frame or request that names a fleet node: defined once, here. */
  public static final String NODE = "node";
  /** A fleet entry as users.yaml may write it: a node name and a service name, either with {@code *}. */
  public static final String ENTRY = "[A-Za-z0-9_.*-]{1,63}/[A-Za-z0-9:_.@\\\\*-]+";

  private FleetPatterns() {}

  /**
   * {@code who} as it stands on {@code node}, which has {@code services}; {@code dashboard} is the
   * node the identity was authenticated on. A null list (every service) stays null.
   */
  public static Identity onNode(Identity who, String dashboard, String node, Collection<String> services) {
    if (who.services() == null) {
      return who;
    }
    Set<String> allowed = new HashSet<>();
    for (String entry : who.services()) {
      int slash = entry.indexOf(SEPARATOR);
      if (slash < 0) {
        if (node.equals(dashboard) && services.contains(entry)) {
          allowed.add(entry);
        }
      } else if (glob(entry.substring(0, slash)).matcher(node).matches()) {
        Pattern name = glob(entry.substring(slash + 1));
        services.stream().filter(s -> name.matcher(s).matches()).forEach(allowed::add);
      }
    }
    return new Identity(who.name(), who.role(), allowed);
  }

  /**
   * A fleet view (one that carries its {@code node}) as {@code who}, authenticated on {@code dashboard},
   * may see it: {@link #onNode} for that node and service, then the {@link Audience}; null when it may not.
   */
  public static JsonObject view(Identity who, String dashboard, JsonObject view) {
    if (view == null || !(view.getValue("name") instanceof String name) || !(view.getValue(NODE) instanceof String node)) {
      return null;
    }
    return Audience.of(onNode(who, dashboard, node, List.of(name))).view(view);
  }

  /** The fleet views {@code who} may see, in order ({@link #view}). */
  public static JsonArray views(Identity who, String dashboard, JsonArray views) {
    JsonArray seen = new JsonArray();
    for (Object v : views) {
      JsonObject view = v instanceof JsonObject json ? view(who, dashboard, json) : null;
      if (view != null) {
        seen.add(view);
      }
    }
    return seen;
  }

  /** Whether {@code entry} is a fleet entry ({@code node/name}) rather than a service of this node. */
  public static boolean isFleetEntry(String entry) {
    return entry.indexOf(SEPARATOR) >= 0;
  }

  /** {@code *} matches any run of characters; everything else matches itself. */
  static Pattern glob(String glob) {
    return Pattern.compile(Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")));
  }

}
