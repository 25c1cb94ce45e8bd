package io.servicemanager.systemd;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A change a caller may ask of a unit: the one vocabulary of the permission table, the verdict, the
 * client and the wire. Each action is one systemd job type, queued with mode "replace".
 */
public enum Action {
  START,
  STOP,
  RESTART;

  /** Every action's wire word, in display order. */
  public static final List<String> WORDS = Arrays.stream(values()).map(Action::word).toList();

  /** As it is written on the wire, in services.yaml's levels and in the history. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** "started", "stopped", "restarted": for sentences about a finished action. */
  public String past() {
    return this == STOP ? "stopped" : word() + "ed";
  }

  /** The {@code org.freedesktop.systemd1.Manager} method that queues this job. */
  String method() {
    return switch (this) {
      case START -> "StartUnit";
      case STOP -> "StopUnit";
      case RESTART -> "RestartUnit";
    };
  }

  /** Whether the unit is meant to run afterwards: a start or restart that leaves it dead failed. */
  public boolean startsUnit() {
    return this != STOP;
  }

  /** The action named by a wire word; empty for anything else, never a guess. */
  public static Optional<Action> parse(String word) {
    return Arrays.stream(values()).filter(a -> a.word().equals(word)).findFirst();
  }

  @Override
  public String toString() {
    return word();
  }
}
