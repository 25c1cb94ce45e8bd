package io.servicemanager.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process facts that {@link ProcessHandle} does not give. */
public final class Processes {
  private Processes() {
  }

  /**
   * Whether {@code pid} names a process that still runs. A zombie (exited, not yet reaped by its
   * parent) does not run, although {@link ProcessHandle#isAlive()} still says true for it.
   */
  public static boolean isRunning(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // "pid (comm) S ...": comm may hold spaces and parentheses, the state follows the last ')'.
      int end = stat.lastIndexOf(')');
      char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  /** The real uid of this JVM, read from /proc (there is no portable Java API for it). */
  static long uid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return -1;
  }
}
