package io.servicemanager.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A service's permission level and the actions it allows (DESIGN §2): the only permission table. */
public enum Permission {
  RESTART(List.of("restart")),
  START(List.of("start", "restart")),
  STOP(List.of("stop", "restart")),
  ALL(List.of("start", "stop", "restart"));

  /** Every action the manager knows, in display order. */
  public static final List<String> ACTIONS = List.of("start", "stop", "restart");

  private final List<String> allowedActions;

  Permission(List<String> allowedActions) {
    this.allowedActions = allowedActions;
  }

  public List<String> allowedActions() {
    return allowedActions;
  }

  public boolean allows(String action) {
    return allowedActions.contains(action);
  }

  /** The value as written in services.yaml. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Permission> parse(String value) {
    for (Permission p : values()) {
      if (p.value().equals(value)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
