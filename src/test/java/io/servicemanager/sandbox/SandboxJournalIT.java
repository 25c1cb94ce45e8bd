package io.servicemanager.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.testing.SystemdSandboxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A systemd sandbox with its own journald")
class SandboxJournalIT {
  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withJournal()
      // it stays: journald reads a line's cgroup from /proc when it handles it, too late for a process gone
      .withUnit("talker.service", "[Service]\nExecStart=/bin/sh -c 'echo hello-from-the-sandbox-journal; exec sleep 300'\n");

  @Test
  @DisplayName("keeps a unit's output in its private journal, found by the unit's ControlGroup")
  void unitOutputLandsInTheJournal() throws Exception {
    SystemdSandbox sandbox = systemd.sandbox();
    sandbox.systemctlOk("start", "talker.service");
    String group = sandbox.property("app.slice", "ControlGroup") + "/talker.service";
    systemd.awaitInJournal(line -> line.contains("hello-from-the-sandbox-journal"), "the unit's line",
        java.time.Duration.ofSeconds(30));

    SystemdSandbox.Result matched = sandbox.journal("--output=cat", "--quiet", "_SYSTEMD_CGROUP=" + group);

    assertThat(matched.exitCode()).as(matched.stderr()).isZero();
    assertThat(matched.stdout()).contains("hello-from-the-sandbox-journal");
    assertThat(sandbox.logFile()).content().doesNotContain("hello-from-the-sandbox-journal");
  }
}
