package io.servicemanager.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicemanager.testing.SystemdSandboxExtension;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A systemd sandbox")
class SystemdSandboxIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension(
      "units/sleeper.service", "units/exits-one.service", "units/crash-later.service",
      "units/oneshot-ok.service", "units/bench@.service");

  @Test
  @DisplayName("runs a real systemd user manager that answers on its own bus")
  void startsAndAnswers() {
    SystemdSandbox sandbox = systemd.sandbox();

    assertThat(ProcessHandle.of(sandbox.managerPid()).flatMap(p -> p.info().command()))
        .contains("/usr/lib/systemd/systemd");
    assertThat(sandbox.busAddress()).isEqualTo("unix:path=" + sandbox.dir().resolve("run/bus"));
    assertThat(sandbox.dir().resolve("run/bus")).exists();
    assertThat(sandbox.property("-.slice", "Id")).isEqualTo("-.slice");
    assertThat(sandbox.systemctlOk("show", "--property=Version", "--value")).isNotBlank();
  }

  @Test
  @DisplayName("starting and stopping a fixture unit changes its ActiveState")
  void startStop() {
    SystemdSandbox sandbox = systemd.sandbox();
    assertThat(sandbox.activeState("sleeper.service")).isEqualTo("inactive");

    sandbox.systemctlOk("start", "sleeper.service");
    assertThat(sandbox.activeState("sleeper.service")).isEqualTo("active");
    long pid = Long.parseLong(sandbox.property("sleeper.service", "MainPID"));
    assertThat(Processes.isRunning(pid)).isTrue();

    sandbox.systemctlOk("stop", "sleeper.service");
    assertThat(sandbox.activeState("sleeper.service")).isEqualTo("inactive");
    assertThat(Processes.isRunning(pid)).isFalse();
  }

  @Test
  @DisplayName("failing fixtures end failed, and a succeeding oneshot ends inactive")
  void failingFixtures() {
    SystemdSandbox sandbox = systemd.sandbox();

    assertThat(sandbox.systemctl("start", "exits-one.service").ok()).as("Type=simple start job is done").isTrue();
    sandbox.awaitActiveState("exits-one.service", "failed", WAIT);
    assertThat(sandbox.property("exits-one.service", "Result")).isEqualTo("exit-code");

    sandbox.systemctlOk("start", "crash-later.service");
    assertThat(sandbox.activeState("crash-later.service")).isEqualTo("active");
    sandbox.awaitActiveState("crash-later.service", "failed", WAIT);

    sandbox.systemctlOk("start", "oneshot-ok.service");
    assertThat(sandbox.activeState("oneshot-ok.service")).isEqualTo("inactive");
    assertThat(sandbox.property("oneshot-ok.service", "Result")).isEqualTo("success");

    sandbox.systemctlOk("reset-failed");
  }

  @Test
  @DisplayName("runs many instances of the bench@ template")
  void templateInstances() {
    SystemdSandbox sandbox = systemd.sandbox();
    List<String> instances = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      instances.add("bench@" + i + ".service");
    }
    sandbox.systemctlOk(concat("start", instances));
    assertThat(sandbox.systemctlOk("show", "--property=ActiveState", "--value", "bench@7.service").strip())
        .isEqualTo("active");
    sandbox.systemctlOk(concat("stop", instances));
    assertThat(sandbox.activeState("bench@7.service")).isEqualTo("inactive");
  }

  @Test
  @DisplayName("brings a killed bus daemon back on the next connection, however often it is killed")
  void busDaemonComesBack() throws IOException {
    SystemdSandbox sandbox = systemd.sandbox();
    List<Long> pids = new ArrayList<>();
    // more kills than systemd's default start limit (5 in 10 s)
    for (int i = 0; i < 7; i++) {
      long killed = sandbox.killBusDaemon();
      assertThat(Processes.isRunning(killed)).isFalse();
      assertThat(sandbox.dir().resolve("run/bus")).exists();
      pids.add(killed);
    }
    try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(sandbox.dir().resolve("run/bus")))) {
      assertThat(client.isConnected()).isTrue();
    }
    long fresh = sandbox.busDaemonPid();
    assertThat(pids).doesNotHaveDuplicates().doesNotContain(fresh);
    assertThat(sandbox.activeState("dbus.socket")).isEqualTo("active");
  }

  @Test
  @DisplayName("keeps its units apart from another sandbox's units of the same name")
  void isolatedFromOtherSandboxes() {
    SystemdSandbox mine = systemd.sandbox();
    try (SystemdSandbox other = SystemdSandbox.builder().unitResource("units/sleeper.service").start()) {
      mine.systemctlOk("start", "sleeper.service");
      other.systemctlOk("start", "sleeper.service");
      long otherPid = Long.parseLong(other.property("sleeper.service", "MainPID"));

      mine.systemctlOk("stop", "sleeper.service");

      assertThat(other.activeState("sleeper.service")).isEqualTo("active");
      assertThat(Processes.isRunning(otherPid)).isTrue();
    }
  }

  @Test
  @DisplayName("close() leaves no process behind, removes its directory and can be called twice")
  void closeCleansUp() {
    SystemdSandbox sandbox = SystemdSandbox.builder()
        .unitResource("units/sleeper.service")
        .unitResource("units/bench@.service")
        // KillMode=process: systemd itself leaves the background sleep running when the unit stops
        .unit("leaky.service", "[Service]\nKillMode=process\nExecStart=/bin/sh -c 'sleep 300 & exec sleep 301'\n")
        .start();
    sandbox.systemctlOk("start", "sleeper.service", "bench@1.service", "bench@2.service", "leaky.service");
    sandbox.busDaemonPid();
    Path dir = sandbox.dir();
    long managerPid = sandbox.managerPid();
    List<Long> pids = ProcessHandle.of(managerPid).orElseThrow().descendants()
        .map(ProcessHandle::pid).collect(Collectors.toList());
    pids.add(managerPid);
    assertThat(pids).hasSizeGreaterThanOrEqualTo(7); // systemd, 3 sleeps, leaky's 2, dbus-daemon

    sandbox.close();
    sandbox.close();

    assertThat(pids).noneMatch(Processes::isRunning);
    assertThat(dir).doesNotExist();
    assertThat(sandbox.isClosed()).isTrue();
    assertThatThrownBy(() -> sandbox.systemctl("status")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("close() kills systemd and a unit that ignores SIGTERM once the stop timeout has passed")
  void closeForcesStubbornUnits() {
    SystemdSandbox sandbox = SystemdSandbox.builder()
        .unit("stubborn.service", "[Service]\nExecStart=/bin/sh -c 'trap \"\" TERM; while :; do sleep 1; done'\n")
        .stopTimeout(Duration.ofSeconds(1))
        .start();
    sandbox.systemctlOk("start", "stubborn.service");
    long managerPid = sandbox.managerPid();
    long stubborn = Long.parseLong(sandbox.property("stubborn.service", "MainPID"));

    long started = System.nanoTime();
    sandbox.close();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WAIT);
    assertThat(List.of(managerPid, stubborn)).noneMatch(Processes::isRunning);
    assertThat(sandbox.dir()).doesNotExist();
  }

  @Test
  @DisplayName("stops its systemd and units by itself when the JVM that owns it is killed")
  void ownerKilled() throws Exception {
    try (SandboxJvm other = SandboxJvm.start(false)) {
      Path dir = other.dir;
      assertThat(other.pids).anyMatch(pid -> ProcessHandle.of(pid).flatMap(p -> p.info().command())
          .filter("/usr/lib/systemd/systemd"::equals).isPresent());

      other.jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
      other.jvm.waitFor();

      long deadline = System.nanoTime() + WAIT.toNanos();
      while (other.pids.stream().anyMatch(Processes::isRunning) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(other.pids).noneMatch(Processes::isRunning);
      // what only close() does: remove the cgroup subtree and the directory
      new SandboxCgroup("servicemanager-sandbox." + dir.getFileName()).remove();
      new SandboxLayout(dir).delete();
    }
  }

  @Test
  @DisplayName("fails loudly, with the manager's own output, when systemd cannot start")
  void failsLoudly(@org.junit.jupiter.api.io.TempDir Path temp) throws IOException {
    Path fake = temp.resolve("systemd");
    Files.writeString(fake, "#!/bin/sh\necho 'fake systemd: cannot work here'\nexit 3\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));

    assertThatThrownBy(() -> SystemdSandbox.builder().systemdExecutable(fake).start())
        .isInstanceOf(SandboxException.class)
        .hasMessageContaining("exited with status 3")
        .hasMessageContaining("fake systemd: cannot work here");
  }

  private static String[] concat(String verb, List<String> units) {
    List<String> args = new ArrayList<>(units);
    args.add(0, verb);
    return args.toArray(String[]::new);
  }
}
