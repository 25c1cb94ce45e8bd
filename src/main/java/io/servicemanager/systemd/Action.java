package io.servicemanager.systemd;

import java.util.List;
import java.util.Optional;

/**
 * A change a caller may ask of a unit: the one vocabulary of the permission table, the verdict, the
 * client and the wire. Each action is one systemd job type, queued with mode "replace".
 */
public enum Action {
  START("start", "started", "StartUnit"),
  STOP("stop", "stopped", "StopUnit"),
  RESTART("restart", "restarted", "RestartUnit");

  /** Every action's wire word, in display order. */
  public static final List<String> WORDS = List.of(START.word, STOP.word, RESTART.word);

  private final String word;
  private final String past;
  private final String method;

  Action(String word, String past, String method) {
    this.word = word;
    this.past = past;
    this.method = method;
  }

  /** As it is written on the wire, in services.yaml's levels and in the history. */
  public String word() {
    return word;
  }

  /** "started", "stopped", "restarted": for sentences about a finished action. */
  public String past() {
    return past;
  }

  /** The {@code org.freedesktop.systemd1.Manager} method that queues this job. */
  String method() {
    return method;
  }

  /** Whether the unit is meant to run afterwards: a start or restart that leaves it dead failed. */
  public boolean startsUnit() {
    return this != STOP;
  }

  /** The action named by a wire word; empty for anything else, never a guess. */
  public static Optional<Action> parse(String word) {
    for (Action a : values()) {
      if (a.word.equals(word)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return word;
  }
}
