package io.servicemanager.config;

import static io.servicemanager.config.ConfigValidator.show;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code cluster}: read from a document its schema checked, with what the schema cannot say (a
 * member's port range, a host name that is no node name, a path the file system cannot hold).
 */
final class ClusterRules {
  private static final String SECTION = "cluster";

  private ClusterRules() {}

  /** Null when the key is absent: standalone, nothing of the fleet is started. */
  static ClusterConfig read(JsonObject yaml, Path baseDir, Problems problems, Supplier<String> hostName) {
    if (!yaml.containsKey(SECTION)) {
      return null;
    }
    JsonObject cluster = yaml.getValue(SECTION) instanceof JsonObject o ? o : new JsonObject();
    JsonObject bus = cluster.getValue("eventbus") instanceof JsonObject o ? o : new JsonObject();
    JsonObject tls = bus.getValue("tls") instanceof JsonObject o ? o : new JsonObject();
    String host = text(cluster, "host", ClusterConfig.DEFAULT_HOST);
    return new ClusterConfig(node(cluster, problems, hostName), host, whole(cluster, "port", ClusterConfig.DEFAULT_PORT),
        members(cluster.getValue("members"), problems), text(bus, "host", host), whole(bus, "port", 0),
        path(baseDir, tls, "cert", problems), path(baseDir, tls, "key", problems), path(baseDir, tls, "ca", problems),
        !Boolean.FALSE.equals(cluster.getValue("dashboard")));
  }

  /** The host name, when no node is named, must itself be a valid node name. */
  private static String node(JsonObject cluster, Problems problems, Supplier<String> hostName) {
    if (cluster.getValue("node") instanceof String node) {
      return node;
    }
    String name = hostName.get();
    if (name == null || !name.matches(ClusterConfig.NODE_PATTERN)) {
      problems.add(SECTION + ".node", "missing, and the host name " + show(name)
          + " is no valid node name: name this node (letters, digits, '.', '_' or '-')");
    }
    return name;
  }

  private static List<String> members(Object raw, Problems problems) {
    List<String> members = new ArrayList<>();
    if (raw instanceof JsonArray list) {
      for (int i = 0; i < list.size(); i++) {
        if (list.getValue(i) instanceof String member && member.matches("[^\\s:]+:[0-9]{1,5}")) {
          int port = Integer.parseInt(member.substring(member.lastIndexOf(':') + 1));
          if (port < 1 || port > 65535) {
            problems.add(SECTION + ".members[" + i + "]", "port must be 1 to 65535 (got " + show(member) + ")");
          }
          members.add(member);
        }
      }
    }
    return members;
  }

  private static Path path(Path baseDir, JsonObject tls, String key, Problems problems) {
    if (!(tls.getValue(key) instanceof String value)) {
      return null;
    }
    try {
      return baseDir.resolve(value).normalize();
    } catch (InvalidPathException e) {
      problems.add(SECTION + ".eventbus.tls." + key, "not a usable path (" + e.getReason() + ", got " + show(value) + ")");
      return null;
    }
  }

  private static String text(JsonObject section, String key, String fallback) {
    return section.getValue(key) instanceof String s ? s : fallback;
  }

  private static int whole(JsonObject section, String key, int fallback) {
    return section.getValue(key) instanceof Number n ? n.intValue() : fallback;
  }

  /** The machine's name, as the default node name; null when it cannot be found. */
  static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
