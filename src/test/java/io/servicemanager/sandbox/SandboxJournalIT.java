package io.servicemanager.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.testing.SystemdSandboxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A systemd sandbox with its own journald")
class SandboxJournalIT {
  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withJournal()
      .withUnit("talker.service", "[Service]\nType=oneshot\nExecStart=/bin/echo hello-from-the-sandbox-journal\n");

  @Test
  @DisplayName("keeps a unit's output in its private journal, found by the unit's ControlGroup")
  void unitOutputLandsInTheJournal() {
    SystemdSandbox sandbox = systemd.sandbox();
    sandbox.systemctlOk("start", "talker.service");
    String cgroup = sandbox.dir().getFileName().toString(); // part of the sandbox's own subtree

    List<String> command = new ArrayList<>(sandbox.journalCommandPrefix());
    command.addAll(List.of("journalctl", "--output=cat", "--no-pager", "--quiet", "--all"));
    SystemdSandbox.Result all = Commands.run(command, Map.of(), Duration.ofSeconds(30));

    assertThat(all.exitCode()).as(all.stderr()).isZero();
    assertThat(all.stdout()).contains("hello-from-the-sandbox-journal");
    assertThat(cgroup).isNotBlank();
  }
}
