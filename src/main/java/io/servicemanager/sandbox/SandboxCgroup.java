package io.servicemanager.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The sandbox's own cgroup subtree, {@code <hierarchy>/<name>} in every cgroup hierarchy that took it
 * (the inner script creates it). A root user manager outside it would put its units at
 * {@code /app.slice/<unit>} — shared by every such manager on the machine, so stopping a unit in one
 * sandbox killed the same-named unit (and the dbus-daemon) of all the others. Inside it, every process
 * the sandbox ever started can be found, even after it was re-parented away from systemd.
 */
final class SandboxCgroup {
  private static final Path ROOT = Path.of("/sys/fs/cgroup");

  private final String name;

  SandboxCgroup(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  /** The subtree's top directory in each hierarchy that has one. */
  List<Path> roots() {
    List<Path> roots = new ArrayList<>();
    if (Files.isDirectory(ROOT.resolve(name))) {
      roots.add(ROOT.resolve(name));
    }
    try (Stream<Path> hierarchies = Files.list(ROOT)) {
      hierarchies.map(h -> h.resolve(name)).filter(Files::isDirectory).forEach(roots::add);
    } catch (IOException e) {
      // no cgroup file system: nothing to find
    }
    return roots;
  }

  /** Every pid in the subtree, in all hierarchies. */
  Set<Long> pids() {
    Set<Long> pids = new TreeSet<>();
    for (Path root : roots()) {
      try (Stream<Path> files = Files.walk(root)) {
        files.filter(f -> f.getFileName().toString().equals("cgroup.procs")).forEach(f -> readPids(f, pids));
      } catch (IOException | UncheckedIOException e) {
        // a cgroup vanished while we walked; the next round sees the rest
      }
    }
    return pids;
  }

  /** SIGKILLs everything in the subtree until it is empty or {@code rounds} are used up; true if empty. */
  boolean killAll(int rounds) throws InterruptedException {
    for (int i = 0; i < rounds; i++) {
      Set<Long> pids = pids();
      pids.removeIf(pid -> !Processes.isRunning(pid));
      if (pids.isEmpty()) {
        return true;
      }
      pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      Thread.sleep(20);
    }
    return pids().stream().noneMatch(Processes::isRunning);
  }

  /** Removes the (empty) subtree, deepest first. Returns the directories that would not go. */
  List<Path> remove() throws InterruptedException {
    List<Path> left = new ArrayList<>();
    for (int attempt = 0; attempt < 50; attempt++) {
      left.clear();
      for (Path root : roots()) {
        try (Stream<Path> dirs = Files.walk(root)) {
          dirs.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).forEach(dir -> {
            try {
              Files.delete(dir); // rmdir; the kernel's control files go with it
            } catch (IOException e) {
              left.add(dir);
            }
          });
        } catch (IOException | UncheckedIOException e) {
          // vanished meanwhile
        }
      }
      if (left.isEmpty()) {
        return left;
      }
      Thread.sleep(20); // a just-killed task can keep its cgroup busy for a moment
    }
    return left;
  }

  private static void readPids(Path procs, Set<Long> into) {
    try {
      for (String line : Files.readAllLines(procs)) {
        if (!line.isBlank()) {
          into.add(Long.parseLong(line.trim()));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // the cgroup went away
    }
  }
}
