package io.servicemanager.config;

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
}
