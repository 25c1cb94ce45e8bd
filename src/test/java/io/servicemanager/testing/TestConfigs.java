package io.servicemanager.testing;

import io.servicemanager.config.AppConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Application settings for tests: a free port, the given bus, and a history file of their own. */
public final class TestConfigs {
  private TestConfigs() {}

  /** No services file to watch (the catalogue comes from code); history in a fresh temp folder. */
  public static AppConfig forBus(String busAddress) {
    try {
      Path dir = Files.createTempDirectory("sm-test-");
      dir.toFile().deleteOnExit();
      return new AppConfig("127.0.0.1", 0, busAddress, dir.resolve("no-services-file.yaml"),
          dir.resolve("history.jsonl"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
