package io.servicemanager.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The demo's units (src/main/resources/demo/units/, inside the jar) and the state it starts in. */
final class DemoUnits {
  static final List<String> UNITS =
      List.of("pzserver.service", "sample-service.service", "crashy.service", "backup.service");
  static final List<String> STARTED = List.of("pzserver.service", "sample-service.service", "crashy.service");
  /** Every other node of {@code demo --nodes N}: a name shared with the first node, and one of their own. */
  static final List<String> PEER_UNITS = List.of("pzserver.service", "chat-bot.service");

  private DemoUnits() {
  }

  static SystemdSandbox start() {
    return start(UNITS, STARTED, SystemdSandbox.DEMO_SERVICES);
  }

  /** No sample-service here: the sandboxes share the host's network, and its port would clash. */
  static SystemdSandbox startPeer() {
    return start(PEER_UNITS, PEER_UNITS, SystemdSandbox.DEMO_PEER_SERVICES);
  }

  private static SystemdSandbox start(List<String> units, List<String> started, String servicesResource) {
    SystemdSandboxBuilder builder = SystemdSandbox.builder().journal().closeOnShutdown();
    units.forEach(unit -> builder.unitResource("demo/units/" + unit));
    SystemdSandbox sandbox = builder.start();
    try {
      // sample-service serves ~/www; the sandbox's HOME is inside its directory
      Path www = Files.createDirectories(sandbox.dir().resolve("home/www"));
      Files.writeString(www.resolve("index.html"), SystemdSandboxBuilder.resource("demo/www/index.html"));
      Files.writeString(sandbox.demoServicesFile(), SystemdSandboxBuilder.resource(servicesResource));
      sandbox.systemctlOk(prepend("start", started));
      if (started.contains("crashy.service")) {
        sandbox.awaitActiveState("crashy.service", "failed", Duration.ofSeconds(10));
      }
      return sandbox;
    } catch (IOException | RuntimeException e) {
      sandbox.close();
      throw new SandboxException("cannot start the demo units: " + e.getMessage(), e);
    }
  }

  private static String[] prepend(String verb, List<String> units) {
    String[] args = new String[units.size() + 1];
    args[0] = verb;
    for (int i = 0; i < units.size(); i++) {
      args[i + 1] = units.get(i);
    }
    return args;
  }
}
