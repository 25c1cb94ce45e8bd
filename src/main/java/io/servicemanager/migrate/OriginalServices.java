package io.servicemanager.migrate;

import io.servicemanager.config.ConfigSchema;
import io.servicemanager.config.ConfigValidator;
import io.servicemanager.config.FileVersion;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The original Flask application's {@code config/services.yaml} as today's services.yaml (pure).
 * That application read four fields of each service and ignored anything else; today every other key
 * is an error. So each key today's schema does not know is dropped with a note, the two fields the
 * original application defaulted when left out get that default written down, and {@code version:}
 * is set. Anything else is left as it was, for validation to judge: a missing display name is not
 * guessed.
 */
public final class OriginalServices {
  static final String SERVICES = "services";
  /** The original application's defaults ({@code check_permission}, {@code get_service_status}). */
  static final Map<String, Object> ORIGINAL_DEFAULTS = Map.of("permissions_required", "restart", "status_check_allowed", true);

  private OriginalServices() {}

  public static Migrated migrate(JsonObject original) {
    List<String> notes = new ArrayList<>();
    JsonObject out = new JsonObject().put(FileVersion.KEY, FileVersion.SERVICES.newest());
    for (String key : original.fieldNames()) {
      if (!key.equals(SERVICES)) {
        notes.add(ConfigValidator.pathSegment(key) + ": dropped (today's services.yaml has only services"
            + (key.equals(FileVersion.KEY) ? "; version is set to " + FileVersion.SERVICES.newest() : "") + ")");
      }
    }
    Object raw = original.getValue(SERVICES);
    if (!(raw instanceof JsonObject services)) {
      return new Migrated(out.put(SERVICES, raw), notes);
    }
    Set<String> known = serviceFields();
    JsonObject migrated = new JsonObject();
    for (Map.Entry<String, Object> service : services) {
      String path = SERVICES + "." + ConfigValidator.pathSegment(service.getKey());
      if (!(service.getValue() instanceof JsonObject fields)) {
        migrated.put(service.getKey(), service.getValue());
        continue;
      }
      JsonObject kept = new JsonObject();
      for (Map.Entry<String, Object> field : fields) {
        if (known.contains(field.getKey())) {
          kept.put(field.getKey(), field.getValue());
        } else {
          notes.add(path + "." + ConfigValidator.pathSegment(field.getKey()) + ": dropped (not a field of today's"
              + " services.yaml; the original app ignored it too)");
        }
      }
      for (String field : List.of("permissions_required", "status_check_allowed")) {
        if (!kept.containsKey(field)) {
          kept.put(field, ORIGINAL_DEFAULTS.get(field));
          notes.add(path + "." + field + ": set to " + ORIGINAL_DEFAULTS.get(field)
              + ", what the original app assumed when it was left out");
        }
      }
      migrated.put(service.getKey(), kept);
    }
    return new Migrated(out.put(SERVICES, migrated), notes);
  }

  /** A service's fields as today's schema declares them: the list lives in the schema only. */
  static Set<String> serviceFields() {
    return ConfigSchema.SERVICES.document().getJsonObject("properties").getJsonObject(SERVICES)
        .getJsonObject("additionalProperties").getJsonObject("properties").fieldNames();
  }
}
