package io.servicemanager.auth;

import io.servicemanager.config.ConfigSchema;
import io.servicemanager.config.ConfigValidator;
import io.servicemanager.config.FileVersion;
import io.servicemanager.config.Problems;
import io.servicemanager.config.SchemaVerdict;
import io.servicemanager.config.Validated;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rules of users.yaml, as strict as services.yaml's (DESIGN §2): its schema ({@link ConfigSchema#USERS})
 * and what a schema cannot say (names, password hashes, a token given twice, services that are not
 * configured), errors naming their path, all reported at once: a typo must never widen or silently
 * drop anyone's rights.
 */
public final class UsersValidator {
  /** Names appear in history records and URLs of logs: plain characters only. */
  private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._@-]{0,63}";

  private UsersValidator() {}

  /**
   * @param yaml the file's top-level mapping ({@code {}} for an absent or empty file: no one may log in)
   * @param configured the names of the configured services, which a user's list may name; null
   *     when already checked (a reload that the watcher validated)
   */
  public static Validated<UserDirectory> validate(JsonObject yaml, Set<String> configured) {
    return FileVersion.USERS.unlessNewer(yaml, () -> users(yaml, configured));
  }

  private static Validated<UserDirectory> users(JsonObject yaml, Set<String> configured) {
    SchemaVerdict verdict = ConfigSchema.USERS.validate(yaml);
    Problems problems = new Problems();
    Map<String, UserDirectory.User> users = new HashMap<>();
    Map<String, UserDirectory.Token> tokens = new HashMap<>();
    for (String kind : new String[] {"users", "tokens"}) {
      for (Map.Entry<String, Object> e : entries(yaml.getValue(kind))) {
        String path = kind + "." + ConfigValidator.pathSegment(e.getKey());
        if (!e.getKey().matches(NAME)) {
          problems.add(path, "a name must be 1 to 64 letters, digits or . _ @ - and start with a letter or digit");
        }
        JsonObject fields = e.getValue() instanceof JsonObject o ? o : new JsonObject();
        Role role = fields.getValue("role") instanceof String r ? Role.parse(r).orElse(null) : null;
        Set<String> services = services(fields.getValue("services"), path, configured, problems);
        String secret = fields.getValue(kind.equals("users") ? "password" : "sha256") instanceof String s ? s : null;
        if (secret != null && kind.equals("users")) {
          String problem = PasswordHash.problem(secret);
          if (problem != null && verdict.accepts(path + ".password")) {
            problems.add(path + ".password", problem);
          }
          users.put(e.getKey(), new UserDirectory.User(e.getKey(), secret, role, services));
        } else if (secret != null && verdict.accepts(path + ".sha256")) {
          String digest = secret.toLowerCase(Locale.ROOT);
          UserDirectory.Token other = tokens.putIfAbsent(digest, new UserDirectory.Token(e.getKey(), digest, role, services));
          if (other != null) {
            problems.add(path + ".sha256", "the same token as tokens." + other.name());
          }
        }
      }
    }
    var errors = verdict.errors(problems);
    return errors.isEmpty() ? Validated.ok(new UserDirectory(users, tokens)) : Validated.failed(errors);
  }

  private static Iterable<Map.Entry<String, Object>> entries(Object raw) {
    return raw instanceof JsonObject map ? map : new JsonObject(); // "users:" with nothing under it, or absent: nobody
  }

  /** Absent: every service (null). Present: the configured service names it lists, and fleet entries ({@code node/name}). */
  private static Set<String> services(Object raw, String path, Set<String> configured, Problems problems) {
    if (!(raw instanceof JsonArray list)) {
      return null;
    }
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      if (list.getValue(i) instanceof String name) {
        if (FleetPatterns.isFleetEntry(name)) {
          // Another node's services: that node checks them against its own services.yaml.
          if (!name.matches(FleetPatterns.ENTRY)) {
            problems.add(path + ".services[" + i + "]", "must be node/name, with * allowed in either part (got "
                + ConfigValidator.show(name) + ")");
          }
        } else if (configured != null && !configured.contains(name)) {
          problems.add(path + ".services[" + i + "]", "no configured service is named " + ConfigValidator.show(name));
        }
        names.add(name);
      }
    }
    return names;
  }
}
