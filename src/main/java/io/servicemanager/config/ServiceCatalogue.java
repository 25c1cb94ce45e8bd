package io.servicemanager.config;

import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured services, in file order; immutable. */
public final class ServiceCatalogue {
  private final Map<String, ServiceDefinition> byName;

  public ServiceCatalogue(List<ServiceDefinition> services) {
    Map<String, ServiceDefinition> map = new LinkedHashMap<>();
    for (ServiceDefinition s : services) {
      map.put(s.name(), s);
    }
    this.byName = Collections.unmodifiableMap(map);
  }

  public Optional<ServiceDefinition> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Collection<ServiceDefinition> all() {
    return byName.values();
  }

  public int size() {
    return byName.size();
  }

  /**
   * The services.yaml shape: name → {display_name, description, permissions_required,
   * status_check_allowed}, and the optional flags only when set, as a file written before them.
   */
  public JsonObject toJson() {
    JsonObject services = new JsonObject();
    for (ServiceDefinition s : byName.values()) {
      JsonObject fields = new JsonObject()
          .put("display_name", s.displayName())
          .put("description", s.description())
          .put("permissions_required", s.permission().value())
          .put("status_check_allowed", s.statusCheckAllowed());
      if (s.logsAllowed()) {
        fields.put("logs_allowed", true);
      }
      if (s.confirmRestart()) {
        fields.put("confirm_restart", true);
      }
      services.put(s.name(), fields);
    }
    return new JsonObject().put("services", services);
  }

  /** The inverse of {@link #toJson()}, validated as services.yaml is. */
  public static ServiceCatalogue fromJson(JsonObject json) {
    Validated<ServiceCatalogue> valid = ConfigValidator.validateServices(json);
    if (!valid.isValid()) {
      throw new IllegalArgumentException(String.join("; ", valid.errors()));
    }
    return valid.value();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ServiceCatalogue c && List.copyOf(byName.values()).equals(List.copyOf(c.byName.values()));
  }

  @Override
  public int hashCode() {
    return byName.hashCode();
  }
}
