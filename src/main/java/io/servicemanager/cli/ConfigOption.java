package io.servicemanager.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option that run and validate share. */
final class ConfigOption {
  @Option(names = "--config", paramLabel = "FILE", defaultValue = "conf/config.yaml",
      description = "config.yaml to read (default: ${DEFAULT-VALUE}); it may be absent, then every default applies.")
  Path file;
}
