package io.servicemanager.cli;

import io.servicemanager.config.ConfigException;
import io.servicemanager.config.ConfigLoader;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option that run, validate and polkit-rules share. */
final class ConfigOption {
  static final String DEFAULT = "conf/config.yaml";

  @Option(names = "--config", paramLabel = "FILE", defaultValue = DEFAULT,
      description = "config.yaml to read (default: ${DEFAULT-VALUE}); it may be absent, then every default applies.")
  Path file;

  /** What a one-shot command does with the loaded configuration; the result is its exit status. */
  interface Use {
    int apply(Vertx vertx, ConfigLoader.LoadedConfig loaded);
  }

  /**
   * Loads the configuration on a Vert.x of its own, closed afterwards, and hands it to {@code use};
   * an invalid configuration (there or in what {@code use} loads) is printed and is exit status
   * {@link RunCommand#INVALID_CONFIG}.
   */
  int load(Use use) {
    Vertx vertx = Vertx.vertx();
    try {
      return use.apply(vertx, ConfigLoader.load(vertx, file).await());
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return RunCommand.INVALID_CONFIG;
    } finally {
      vertx.close();
    }
  }
}
