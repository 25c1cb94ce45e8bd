package io.servicemanager.auth;

import io.servicemanager.config.ConfigValidator;
import io.servicemanager.config.Validated;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of users.yaml, as strict as services.yaml's (DESIGN §2): unknown keys, wrong types and
 * services that are not configured are errors naming their path, all reported at once — a typo must
 * never widen or silently drop anyone's rights.
 */
public final class UsersValidator {
  private static final Set<String> TOP_KEYS = Set.of("version", "users", "tokens");
  private static final Set<String> USER_KEYS = Set.of("password", "role", "services");
  private static final Set<String> TOKEN_KEYS = Set.of("sha256", "role", "services");
  /** Names appear in history records and URLs of logs: plain characters only. */
  private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._@-]{0,63}";

  private UsersValidator() {}

  /**
   * @param yaml the file's top-level mapping ({@code {}} for an absent or empty file: no one may log in)
   * @param configured the names of the configured services, which a user's list may name; null
   *     when already checked (a reload that the watcher validated)
   */
  public static Validated<UserDirectory> validate(JsonObject yaml, Set<String> configured) {
    List<String> errors = new ArrayList<>();
    unknownKeys(yaml, TOP_KEYS, "", errors);
    if (yaml.containsKey("version") && !Integer.valueOf(1).equals(yaml.getValue("version"))) {
      errors.add("version: only version 1 is known (got " + ConfigValidator.show(yaml.getValue("version")) + ")");
    }
    Map<String, UserDirectory.User> users = new HashMap<>();
    for (Map.Entry<String, Object> e : mapping(yaml, "users", errors)) {
      String path = "users." + ConfigValidator.pathSegment(e.getKey());
      JsonObject fields = entry(e, path, USER_KEYS, errors);
      if (fields == null) {
        continue;
      }
      int before = errors.size();
      String hash = required(fields, "password", path, errors);
      if (hash != null) {
        String problem = PasswordHash.problem(hash);
        if (problem != null) {
          errors.add(path + ".password: " + problem);
        }
      }
      Role role = role(fields, path, errors);
      Set<String> services = services(fields, path, configured, errors);
      if (errors.size() == before) {
        users.put(e.getKey(), new UserDirectory.User(e.getKey(), hash, role, services));
      }
    }
    Map<String, UserDirectory.Token> tokens = new HashMap<>();
    for (Map.Entry<String, Object> e : mapping(yaml, "tokens", errors)) {
      String path = "tokens." + ConfigValidator.pathSegment(e.getKey());
      JsonObject fields = entry(e, path, TOKEN_KEYS, errors);
      if (fields == null) {
        continue;
      }
      int before = errors.size();
      String digest = required(fields, "sha256", path, errors);
      if (digest != null && !digest.matches("[0-9a-fA-F]{64}")) {
        errors.add(path + ".sha256: must be 64 hexadecimal digits, as printed by `service-manager new-token` (got "
            + ConfigValidator.show(digest) + ")");
      }
      Role role = role(fields, path, errors);
      Set<String> services = services(fields, path, configured, errors);
      if (errors.size() == before) {
        String key = digest.toLowerCase(java.util.Locale.ROOT);
        UserDirectory.Token other = tokens.get(key);
        if (other != null) {
          errors.add(path + ".sha256: the same token as tokens." + other.name());
        } else {
          tokens.put(key, new UserDirectory.Token(e.getKey(), key, role, services));
        }
      }
    }
    return errors.isEmpty() ? Validated.ok(new UserDirectory(users, tokens)) : Validated.failed(errors);
  }

  private static Iterable<Map.Entry<String, Object>> mapping(JsonObject yaml, String key, List<String> errors) {
    Object raw = yaml.getValue(key);
    if (raw == null) {
      return List.of(); // "users:" with nothing under it, or absent: nobody
    }
    if (!(raw instanceof JsonObject map)) {
      errors.add(key + ": must be a mapping of name to settings (got " + ConfigValidator.show(raw) + ")");
      return List.of();
    }
    return map;
  }

  private static JsonObject entry(Map.Entry<String, Object> e, String path, Set<String> keys, List<String> errors) {
    if (!e.getKey().matches(NAME)) {
      errors.add(path + ": a name must be 1 to 64 letters, digits or . _ @ - and start with a letter or digit");
    }
    if (!(e.getValue() instanceof JsonObject fields)) {
      errors.add(path + ": must be a mapping with " + String.join(", ", keys.stream().sorted().toList())
          + " (got " + ConfigValidator.show(e.getValue()) + ")");
      return null;
    }
    unknownKeys(fields, keys, path + ".", errors);
    return fields;
  }

  private static String required(JsonObject fields, String key, String path, List<String> errors) {
    Object value = fields.getValue(key);
    if (!fields.containsKey(key)) {
      errors.add(path + ": missing field " + key);
      return null;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      errors.add(path + "." + key + ": must be a non-empty string (got " + ConfigValidator.show(value) + ")");
      return null;
    }
    return s;
  }

  private static Role role(JsonObject fields, String path, List<String> errors) {
    if (!fields.containsKey("role")) {
      errors.add(path + ": missing field role");
      return null;
    }
    Object value = fields.getValue("role");
    Role role = value instanceof String s ? Role.parse(s).orElse(null) : null;
    if (role == null) {
      errors.add(path + ".role: must be one of viewer, operator (got " + ConfigValidator.show(value) + ")");
    }
    return role;
  }

  /** Absent: every service. Present: a non-empty list of configured service names. */
  private static Set<String> services(JsonObject fields, String path, Set<String> configured, List<String> errors) {
    if (!fields.containsKey("services")) {
      return null;
    }
    Object value = fields.getValue("services");
    if (!(value instanceof JsonArray list) || list.isEmpty()) {
      errors.add(path + ".services: must be a non-empty list of service names; leave it out for every service (got "
          + ConfigValidator.show(value) + ")");
      return Set.of();
    }
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.getValue(i);
      if (!(item instanceof String name)) {
        errors.add(path + ".services[" + i + "]: must be a service name (got " + ConfigValidator.show(item) + ")");
      } else if (configured != null && !configured.contains(name)) {
        errors.add(path + ".services[" + i + "]: no configured service is named " + ConfigValidator.show(name));
      } else {
        names.add(name);
      }
    }
    return names;
  }

  private static void unknownKeys(JsonObject yaml, Set<String> allowed, String prefix, List<String> errors) {
    for (String key : yaml.fieldNames()) {
      if (!allowed.contains(key)) {
        errors.add(prefix + key + ": unknown field (known: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    }
  }
}
