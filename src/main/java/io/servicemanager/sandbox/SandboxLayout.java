package io.servicemanager.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Where everything of one sandbox lives, and the environment that points a program at it. */
record SandboxLayout(Path dir) {
  static SandboxLayout create() {
    try {
      Path base = Path.of(System.getProperty("java.io.tmpdir"));
      Path dir = Files.createTempDirectory(base, "sm-sandbox-");
      if (dir.resolve("run/bus").toString().length() > 100) {
        // sockaddr_un holds 108 bytes; systemd also puts longer names under the runtime dir
        Files.delete(dir);
        dir = Files.createTempDirectory(Path.of("/tmp"), "sm-sandbox-");
      }
      return new SandboxLayout(dir);
    } catch (IOException e) {
      throw new SandboxException("cannot create a sandbox directory: " + e.getMessage(), e);
    }
  }

  Path runtimeDir() {
    return dir.resolve("run");
  }

  Path configHome() {
    return dir.resolve("config");
  }

  Path unitDir() {
    return configHome().resolve("systemd/user");
  }

  Path home() {
    return dir.resolve("home");
  }

  Path busSocket() {
    return runtimeDir().resolve("bus");
  }

  Path log() {
    return dir.resolve("systemd.log");
  }

  Map<String, String> clientEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("XDG_RUNTIME_DIR", runtimeDir().toString());
    env.put("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + busSocket());
    env.put("SYSTEMD_PAGER", "");
    env.put("SYSTEMD_COLORS", "0");
    return env;
  }

  Map<String, String> managerEnvironment() {
    Map<String, String> env = clientEnvironment();
    env.put("XDG_CONFIG_HOME", configHome().toString());
    env.put("XDG_DATA_HOME", dir.resolve("data").toString());
    env.put("XDG_STATE_HOME", dir.resolve("state").toString());
    env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
    env.put("HOME", home().toString());
    return env;
  }

  /** The tail of the manager's output files, for exception messages. */
  String describeLogs() {
    StringBuilder text = new StringBuilder();
    for (Path file : List.of(log(), dir.resolve("console.log"))) {
      try {
        if (Files.exists(file)) {
          String content = Files.readString(file);
          if (content.length() > 4000) {
            content = "…" + content.substring(content.length() - 4000);
          }
          text.append("\n--- ").append(file).append(content.isBlank() ? " (empty)" : "\n" + content.strip());
        }
      } catch (IOException e) {
        text.append("\n--- ").append(file).append(": ").append(e.getMessage());
      }
    }
    return text.toString();
  }

  /** Deletes the whole directory; what cannot go is logged, not thrown (this runs while closing). */
  void delete() {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      org.slf4j.LoggerFactory.getLogger(SandboxLayout.class)
          .warn("could not delete sandbox directory {}: {}", dir, e.toString());
    }
  }
}
