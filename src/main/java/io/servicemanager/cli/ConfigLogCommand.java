package io.servicemanager.cli;

import io.servicemanager.confighistory.Version;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** One version per line, newest first: REV, time (UTC), summary. */
@Command(name = "log", mixinStandardHelpOptions = true,
    description = "List the accepted versions, newest first: REV, time (UTC) and what changed.")
public final class ConfigLogCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  @Mixin
  ConfigOption config;

  @Override
  public Integer call() {
    return HistoryAccess.run(config, (vertx, history, today) -> {
      for (Version version : history.log()) {
        System.out.println(line(version));
      }
      return 0;
    });
  }

  static String line(Version version) {
    return version.rev() + "  " + TIME.format(version.at()) + "  " + version.message();
  }
}
