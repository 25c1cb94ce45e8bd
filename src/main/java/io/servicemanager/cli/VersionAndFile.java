package io.servicemanager.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** The {@code REV [FILE] [--config FILE]} arguments that {@code config show} and {@code config rollback} share. */
public final class VersionAndFile {
  @Parameters(index = "0", paramLabel = "REV", description = "A version as `config log` prints it, HEAD or HEAD~N.")
  String rev;

  @Parameters(index = "1", paramLabel = "FILE", arity = "0..1", description = "config.yaml, services.yaml or users.yaml.")
  String file;

  @Mixin
  ConfigOption config;
}
