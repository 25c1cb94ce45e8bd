package io.servicemanager.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Takes a sandbox down so that no process of it survives. */
final class SandboxShutdown {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxShutdown.class);

  private SandboxShutdown() {
  }

  /** {@link #stop}, then the directory deleted, whatever happened; an interrupt still kills what is left. */
  static void stopAndDelete(Process manager, SandboxCgroup cgroup, Duration timeout, SandboxLayout layout) {
    long started = System.nanoTime();
    try {
      stop(manager, cgroup, timeout);
      LOG.info("systemd sandbox {} stopped in {} ms", layout.dir(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    } catch (InterruptedException e) {
      LOG.warn("interrupted while stopping systemd sandbox {}; killing what is left", layout.dir());
      try {
        stop(manager, cgroup, Duration.ZERO); // interrupt flag is clear again here
      } catch (InterruptedException again) {
        manager.destroyForcibly();
      } finally {
        Thread.currentThread().interrupt();
      }
    } finally {
      layout.delete();
    }
  }

  static void stop(Process manager, SandboxCgroup cgroup, Duration timeout) throws InterruptedException {
    // Belt and braces next to the cgroup: every process systemd has started so far is its descendant
    // (a user manager is a child subreaper). ProcessHandle remembers start times, so a recycled pid is
    // never mistaken for one of these.
    List<ProcessHandle> tree = manager.descendants().collect(Collectors.toList());

    if (manager.isAlive()) {
      manager.destroy(); // SIGTERM: systemd stops every unit, then exits
      if (!manager.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("systemd sandbox (pid {}) did not stop within {}; killing it", manager.pid(), timeout);
        manager.destroyForcibly();
        manager.waitFor(5, TimeUnit.SECONDS);
      }
    }

    // Whatever systemd left (KillMode=process/none, a stop that timed out, a killed manager).
    if (!cgroup.killAll(250)) {
      LOG.warn("processes remain in cgroup {}: {}", cgroup.name(), cgroup.pids());
    }
    for (ProcessHandle process : tree) {
      if (process.isAlive() && Processes.isRunning(process.pid())) {
        process.destroyForcibly();
      }
    }
    List<?> left = cgroup.remove();
    if (!left.isEmpty()) {
      LOG.warn("could not remove cgroups {}", left);
    }
  }
}
