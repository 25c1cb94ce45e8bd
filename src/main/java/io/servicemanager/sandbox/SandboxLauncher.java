package io.servicemanager.sandbox;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings up a systemd user manager in a private mount namespace (DESIGN.md §8) and waits until it answers. */
final class SandboxLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(SystemdSandbox.class);
  static final Path DEFAULT_SYSTEMD = Path.of("/usr/lib/systemd/systemd");

  /**
   * Runs as {@code setsid unshare --mount --propagation private inner.sh DIR CGROUP SYSTEMD OWNER JOURNAL}; every
   * value arrives as an argument or in the environment, so no path is ever spliced into the script.
   */
  private static final String INNER_SCRIPT = """
      #!/bin/bash
      # Private mount namespace; ends by becoming the sandbox's systemd user manager.
      set -euo pipefail
      dir=$1 name=$2 systemd=$3 owner=$4 journal=$5

      # Own cgroup subtree (see SandboxCgroup): required in the hierarchies systemd tracks units with.
      if [[ -f /sys/fs/cgroup/cgroup.procs ]]; then
        hierarchies=(/sys/fs/cgroup)
      else
        hierarchies=()
        for h in /sys/fs/cgroup/*; do
          if mountpoint -q "$h"; then hierarchies+=("$h"); fi
        done
      fi
      for h in "${hierarchies[@]}"; do
        [[ -f $h/cgroup.procs ]] || continue
        if mkdir "$h/$name" 2>/dev/null && echo $$ > "$h/$name/cgroup.procs" 2>/dev/null; then
          continue
        fi
        rmdir "$h/$name" 2>/dev/null || true
        case $h in
          /sys/fs/cgroup|*/systemd|*/unified)
            echo "sandbox: cannot create or enter cgroup $h/$name (is /sys/fs/cgroup writable?)" >&2
            exit 90 ;;
        esac
      done

      # "Booted with systemd" marker, visible only in this namespace.
      mkdir -p /run/systemd
      mount -t tmpfs -o mode=0755 tmpfs /run/systemd
      mkdir /run/systemd/system

      # A private journald (DESIGN §6), started before systemd so units' output lands in it. Its
      # files live on tmpfs, never in the host's /var/log/journal.
      if [[ $journal == journal ]]; then
        mount -t tmpfs -o mode=0755 tmpfs /run/log
        if [[ -d /var/log/journal ]]; then mount -t tmpfs -o mode=2755 tmpfs /var/log/journal; fi
        mkdir -p /run/systemd/journal
        /usr/lib/systemd/systemd-journald </dev/null >>"$dir/journald.log" 2>&1 &
        for _ in $(seq 1 500); do
          [[ -S /run/systemd/journal/stdout ]] && break
          sleep 0.02
        done
        if [[ ! -S /run/systemd/journal/stdout ]]; then
          echo "sandbox: systemd-journald did not come up (see $dir/journald.log)" >&2
          exit 91
        fi
      fi

      # A user manager writes early fatal errors to /dev/console: let them land in the sandbox dir.
      if [[ -e /dev/console ]]; then
        : > "$dir/console.log"
        mount --bind "$dir/console.log" /dev/console || true
      fi

      # Should the owning JVM die without closing the sandbox (SIGKILL, crash), stop systemd anyway.
      # $$ stays this shell's pid, which exec hands to systemd.
      (
        while kill -0 "$owner" 2>/dev/null && kill -0 $$ 2>/dev/null; do sleep 1; done
        kill -TERM $$ 2>/dev/null || true
      ) </dev/null &

      exec "$systemd" --user
      """;

  /** Units log here (DefaultStandardOutput=inherit), next to the manager's own output. */
  private static final String USER_CONF = """
      [Manager]
      DefaultStandardOutput=inherit
      DefaultStandardError=inherit
      """;

  /** With a private journald, units log to it, as on a real host. */
  private static final String USER_CONF_JOURNAL = """
      [Manager]
      DefaultStandardOutput=journal
      DefaultStandardError=journal
      """;

  static final Path JOURNALD = Path.of("/usr/lib/systemd/systemd-journald");

  /** Variables a parent systemd may have set that must not leak into the sandboxed manager. */
  private static final List<String> SCRUBBED = List.of("NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID",
      "LISTEN_FDNAMES", "JOURNAL_STREAM", "INVOCATION_ID", "MANAGERPID", "SYSTEMD_EXEC_PID",
      "WATCHDOG_PID", "WATCHDOG_USEC", "XDG_CONFIG_DIRS", "XDG_DATA_DIRS", "SYSTEMD_UNIT_PATH");

  private SandboxLauncher() {
  }

  /** Fails fast, with the reason, where the recipe cannot work at all. */
  static void checkPrerequisites(Path systemd) {
    long uid = Processes.uid();
    if (uid != 0) {
      throw new SandboxException("a systemd sandbox needs root (it mounts a tmpfs and a cgroup subtree);"
          + " this JVM runs as uid " + uid);
    }
    for (String tool : List.of("setsid", "unshare", "mountpoint", "systemctl")) {
      if (Commands.onPath(tool) == null) {
        throw new SandboxException("a systemd sandbox needs '" + tool + "' on PATH (util-linux / systemd)");
      }
    }
    if (!Files.isExecutable(systemd)) {
      throw new SandboxException("no systemd binary at " + systemd + " (install the systemd package)");
    }
  }

  /** Lays out the sandbox directory and starts the inner script; the returned process becomes systemd. */
  static Process launch(SandboxLayout layout, String cgroupName, Path systemd, boolean journal) throws IOException {
    Files.createDirectories(layout.unitDir());
    Files.createDirectories(layout.home());
    Files.createDirectories(layout.runtimeDir());
    Files.setPosixFilePermissions(layout.runtimeDir(), PosixFilePermissions.fromString("rwx------"));
    Files.writeString(layout.configHome().resolve("systemd/user.conf"), journal ? USER_CONF_JOURNAL : USER_CONF);
    Path script = layout.dir().resolve("inner.sh");
    Files.writeString(script, INNER_SCRIPT);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));

    ProcessBuilder builder = new ProcessBuilder("setsid", "unshare", "--mount", "--propagation", "private",
        script.toString(), layout.dir().toString(), cgroupName, systemd.toString(),
        Long.toString(ProcessHandle.current().pid()), journal ? "journal" : "")
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log().toFile()));
    Map<String, String> env = builder.environment();
    SCRUBBED.forEach(env::remove);
    env.putAll(layout.managerEnvironment());
    return builder.start();
  }

  /** Waits for the bus socket and for the manager to answer; throws with its output otherwise. */
  static void awaitReady(Process process, SandboxLayout layout, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new SandboxException("systemd --user exited with status " + process.exitValue()
            + " before it answered" + layout.describeLogs());
      }
      if (Files.exists(layout.busSocket())) {
        SystemdSandbox.Result version = Commands.run(
            List.of("systemctl", "--user", "show", "--property=Version", "--value"),
            layout.clientEnvironment(), Duration.ofSeconds(5));
        if (version.exitCode() == 0 && !version.stdout().isBlank()) {
          return;
        }
      }
      Thread.sleep(20);
    }
    throw new SandboxException("systemd --user did not answer within " + timeout
        + " (bus socket " + (Files.exists(layout.busSocket()) ? "present" : "missing") + ")"
        + layout.describeLogs());
  }

  /** Starts a sandbox as {@code options} say; on any failure nothing of it is left. */
  static SystemdSandbox start(SystemdSandboxBuilder.Options options) {
    Path systemd = options.systemd();
    checkPrerequisites(systemd);
    SandboxLayout layout = SandboxLayout.create();
    SandboxCgroup cgroup = new SandboxCgroup("servicemanager-sandbox." + layout.dir().getFileName());
    SystemdSandbox sandbox = null;
    long started = System.nanoTime();
    try {
      options.units().forEach((name, content) -> UnitFiles.write(layout.unitDir(), name, content));
      if (options.journal() && !java.nio.file.Files.isExecutable(JOURNALD)) {
        throw new SandboxException("no systemd-journald at " + JOURNALD);
      }
      Process process = launch(layout, cgroup.name(), systemd, options.journal());
      sandbox = new SystemdSandbox(layout, process, cgroup, options.stopTimeout());
      if (options.closeOnShutdown()) {
        sandbox.closeOnShutdown();
      }
      awaitReady(process, layout, options.startupTimeout());
      sandbox.checkManagerPid(systemd);
      LOG.info("systemd sandbox {} up in {} ms (pid {})", layout.dir(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), process.pid());
      return sandbox;
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      String logs = layout.describeLogs();
      if (sandbox != null) {
        sandbox.close();
      } else {
        layout.delete();
      }
      if (e instanceof SandboxException) {
        throw (SandboxException) e;
      }
      throw new SandboxException("cannot start a systemd sandbox: " + e + logs, e);
    }
  }
}
