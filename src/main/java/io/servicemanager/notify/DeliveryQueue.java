package io.servicemanager.notify;

import java.util.ArrayDeque;

/**
 * A bounded first-in first-out queue that never refuses: when full, the oldest entry makes room.
 * For a notification the newest state matters most, and a receiver that is down for long would get
 * stale news first otherwise. Not thread-safe: used on one verticle's context.
 */
final class DeliveryQueue<T> {
  private final ArrayDeque<T> entries = new ArrayDeque<>();
  private final int capacity;
  private long dropped;

  DeliveryQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1 (got " + capacity + ")");
    }
    this.capacity = capacity;
  }

  /** @return true when the oldest entry was dropped to make room */
  boolean offer(T entry) {
    boolean full = entries.size() == capacity;
    if (full) {
      entries.pollFirst();
      dropped++;
    }
    entries.addLast(entry);
    return full;
  }

  /** The oldest entry, or null when empty. */
  T poll() {
    return entries.pollFirst();
  }

  int size() {
    return entries.size();
  }

  /** Entries dropped since this queue was made. */
  long dropped() {
    return dropped;
  }
}
