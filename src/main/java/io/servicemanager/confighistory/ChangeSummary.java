package io.servicemanager.confighistory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A change between two versions in the product's words, for a commit message and {@code config diff}:
 * {@code services: +minecraft (restart); pzserver restart→all; users: -bob}. It never quotes a
 * secret: a changed password or token digest is named, not shown, and webhook URLs (which carry
 * tokens) are only counted.
 */
public final class ChangeSummary {
  private ChangeSummary() {}

  /**
   * @param before the older version's files (name → text; absent files missing), or null for the first version
   * @param after the newer version's files
   */
  public static String between(Map<String, String> before, Map<String, String> after) {
    if (before == null) {
      return first(after);
    }
    List<String> parts = new ArrayList<>();
    for (String file : ConfigFiles.NAMES) {
      String old = before.get(file);
      String next = after.get(file);
      if (Objects.equals(old, next)) {
        continue;
      }
      int size = parts.size();
      switch (file) {
        case ConfigFiles.CONFIG -> section(parts, "config", configChanges(map(old), map(next)));
        case ConfigFiles.SERVICES -> section(parts, "services", serviceChanges(entries(old, "services"), entries(next, "services")));
        default -> {
          section(parts, "users", accountChanges(entries(old, "users"), entries(next, "users"), "password"));
          section(parts, "tokens", accountChanges(entries(old, "tokens"), entries(next, "tokens"), "sha256"));
        }
      }
      if (parts.size() == size) {
        parts.add(label(file) + ": " + (old == null ? "file added" : next == null ? "file removed" : "comments or layout only"));
      }
    }
    return parts.isEmpty() ? "no change" : String.join("; ", parts);
  }

  private static String first(Map<String, String> files) {
    int services = entries(files.get(ConfigFiles.SERVICES), "services").size();
    int users = entries(files.get(ConfigFiles.USERS), "users").size();
    int tokens = entries(files.get(ConfigFiles.USERS), "tokens").size();
    return "first version: " + count(services, "service") + ", " + count(users, "user") + ", " + count(tokens, "token");
  }

  private static String count(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  private static String label(String file) {
    return file.substring(0, file.indexOf('.'));
  }

  /** The file's label before its first change only: "services: +a; b restart→all". */
  private static void section(List<String> parts, String label, List<String> changes) {
    for (int i = 0; i < changes.size(); i++) {
      parts.add(i == 0 ? label + ": " + changes.get(i) : changes.get(i));
    }
  }

  private static List<String> serviceChanges(Map<String, Map<String, Object>> old, Map<String, Map<String, Object>> next) {
    return entryChanges(old, next,
        fields -> fields.get("permissions_required")
            + (Boolean.FALSE.equals(fields.get("status_check_allowed")) ? ", status hidden" : ""),
        (was, fields, what) -> {
          changed(was, fields, "permissions_required", what, (a, b) -> a + "→" + b);
          changed(was, fields, "status_check_allowed", what, (a, b) -> Boolean.TRUE.equals(b) ? "status shown" : "status hidden");
          changed(was, fields, "display_name", what, (a, b) -> "display name");
          changed(was, fields, "description", what, (a, b) -> "description");
        });
  }

  /** Users or tokens; {@code secret} is the field that is named when it changes, never shown. */
  private static List<String> accountChanges(Map<String, Map<String, Object>> old, Map<String, Map<String, Object>> next,
      String secret) {
    return entryChanges(old, next, fields -> String.valueOf(fields.get("role")), (was, fields, what) -> {
      changed(was, fields, "role", what, (a, b) -> a + "→" + b);
      changed(was, fields, "services", what, (a, b) -> "services " + services(a) + "→" + services(b));
      changed(was, fields, secret, what, (a, b) -> secret.equals("password") ? "new password" : "new token");
    });
  }

  /** Says what changed between an entry's old and new fields, into {@code what}. */
  private interface Differ {
    void describe(Map<String, Object> was, Map<String, Object> now, List<String> what);
  }

  /** Entries added ({@code +name (added)}), removed ({@code -name}), then changed ({@code name what, …}). */
  private static List<String> entryChanges(Map<String, Map<String, Object>> old, Map<String, Map<String, Object>> next,
      Function<Map<String, Object>, String> added, Differ differ) {
    List<String> changes = new ArrayList<>();
    next.forEach((name, fields) -> {
      if (!old.containsKey(name)) {
        changes.add("+" + name + " (" + added.apply(fields) + ")");
      }
    });
    old.keySet().stream().filter(name -> !next.containsKey(name)).forEach(name -> changes.add("-" + name));
    next.forEach((name, fields) -> {
      Map<String, Object> was = old.get(name);
      if (was == null) {
        return;
      }
      List<String> what = new ArrayList<>();
      differ.describe(was, fields, what);
      if (!what.isEmpty()) {
        changes.add(name + " " + String.join(", ", what));
      }
    });
    return changes;
  }

  private static String services(Object list) {
    return list instanceof List<?> names ? "[" + String.join(", ", names.stream().map(String::valueOf).toList()) + "]" : "all";
  }

  /** config.yaml, key by key (dotted paths); the notifications list only by its length. */
  private static List<String> configChanges(Map<String, Object> old, Map<String, Object> next) {
    Map<String, Object> was = flatten(old);
    Map<String, Object> now = flatten(next);
    List<String> changes = new ArrayList<>();
    now.forEach((key, value) -> {
      if (!was.containsKey(key)) {
        changes.add("+" + key + " " + show(key, value));
      } else if (!Objects.equals(was.get(key), value)) {
        changes.add(key + " " + show(key, was.get(key)) + "→" + show(key, value));
      }
    });
    was.keySet().stream().filter(key -> !now.containsKey(key)).forEach(key -> changes.add("-" + key));
    return changes;
  }

  private static String show(String key, Object value) {
    if (key.equals("notifications")) {
      return value instanceof List<?> list ? count(list.size(), "webhook") : "?";
    }
    return String.valueOf(value);
  }

  private static Map<String, Object> flatten(Map<String, Object> yaml) {
    Map<String, Object> flat = new TreeMap<>();
    flatten("", yaml, flat);
    return flat;
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> flat) {
    map.forEach((key, value) -> {
      String path = prefix + key;
      if (value instanceof Map<?, ?> inner && !inner.isEmpty()) {
        flatten(path + ".", inner, flat);
      } else {
        flat.put(path, value);
      }
    });
  }

  private static void changed(Map<String, Object> was, Map<String, Object> now, String field, List<String> what,
      java.util.function.BinaryOperator<Object> describe) {
    if (!Objects.equals(was.get(field), now.get(field))) {
      what.add(String.valueOf(describe.apply(was.get(field), now.get(field))));
    }
  }

  /** {@code key: {name: {fields}}} of a file; unreadable parts count as empty (versions were valid when kept). */
  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> entries(String text, String key) {
    Map<String, Map<String, Object>> entries = new LinkedHashMap<>();
    if (map(text).get(key) instanceof Map<?, ?> section) {
      section.forEach((name, fields) -> entries.put(String.valueOf(name),
          fields instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of()));
    }
    return entries;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(String text) {
    if (text == null) {
      return Map.of();
    }
    try {
      Object yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
      return yaml instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    } catch (RuntimeException e) {
      return Map.of();
    }
  }
}
