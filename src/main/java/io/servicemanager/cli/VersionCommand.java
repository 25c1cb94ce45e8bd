package io.servicemanager.cli;

import io.servicemanager.confighistory.ConfigRepository;
import io.servicemanager.confighistory.Version;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** A {@code config} command about one version: {@code REV [FILE] [--config FILE]}, the revision resolved first. */
abstract class VersionCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "REV", description = "A version as `config log` prints it, HEAD or HEAD~N.")
  String rev;

  @Parameters(index = "1", paramLabel = "FILE", arity = "0..1", description = "config.yaml, services.yaml or users.yaml.")
  String file;

  @Mixin
  ConfigOption config;

  @Override
  public final Integer call() {
    return HistoryAccess.run(config, (vertx, history, today) -> apply(vertx, history, today, history.resolve(rev)));
  }

  /** The command's work on {@code version}; the result is its exit status. */
  abstract int apply(Vertx vertx, ConfigRepository history, Map<String, Path> today, Version version);
}
