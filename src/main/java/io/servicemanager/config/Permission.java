package io.servicemanager.config;

import io.servicemanager.systemd.Action;
import java.util.List;
import java.util.Optional;

/** A service's permission level and the actions it allows (DESIGN §2): the only permission table. */
public enum Permission {
  RESTART(List.of(Action.RESTART)),
  START(List.of(Action.START, Action.RESTART)),
  STOP(List.of(Action.STOP, Action.RESTART)),
  ALL(List.of(Action.START, Action.STOP, Action.RESTART));

  private final List<Action> actions;

  Permission(List<Action> actions) {
    this.actions = actions;
  }

  /** The allowed actions' wire words, in display order. */
  public List<String> allowedActions() {
    return actions.stream().map(Action::word).toList();
  }

  public boolean allows(Action action) {
    return actions.contains(action);
  }

  /** The value as written in services.yaml. */
  public String value() {
    return ConfigWords.of(this);
  }

  public static Optional<Permission> parse(String value) {
    return ConfigWords.parse(values(), value);
  }
}
