package io.servicemanager.systemd;

import java.util.Map;

/**
 * What systemd tells a subscribed client. Every call arrives on the Vert.x context that called
 * {@link SystemdClient#connect}, in the order systemd sent the signals.
 */
public interface SystemdEvents {
  /** A PropertiesChanged on a unit object, reduced to {@link UnitSnapshot#WATCHED} properties. */
  default void propertiesChanged(String path, Map<String, Object> changed) {}

  /**
   * The same, with {@link System#nanoTime()} when dbus-java handed the signal over, before the hop
   * to the Vert.x context: for whoever measures how long a change takes to reach its clients.
   */
  default void propertiesChanged(String path, Map<String, Object> changed, long receivedNanos) {
    propertiesChanged(path, changed);
  }

  /** A unit object was loaded (after daemon-reload, or because someone referenced it). */
  default void unitNew(String unit, String path) {}

  /** {@code Reloading(false)}: a daemon-reload finished; state held may be stale. */
  default void reloaded() {}

  /** A job finished; {@code result} is systemd's word ("done", "failed", "canceled", …). */
  default void jobRemoved(long id, String jobPath, String unit, String result) {}

  /** The bus connection is gone; nothing more arrives from this connection. */
  void disconnected(String reason);
}
