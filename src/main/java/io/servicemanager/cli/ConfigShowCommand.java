package io.servicemanager.cli;

import io.servicemanager.confighistory.ConfigFiles;
import io.servicemanager.confighistory.HistoryException;
import io.servicemanager.confighistory.Version;
import io.servicemanager.confighistory.ConfigRepository;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;

/** A version's files: one as it was (for a pipe), or all three under headers. */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Print version REV: FILE (config.yaml, services.yaml or users.yaml) as it was, or every file under a header.")
public final class ConfigShowCommand extends VersionCommand {
  @Override
  int apply(Vertx vertx, ConfigRepository history, Map<String, Path> today, Version version) {
    Map<String, String> files = history.files(version);
    if (file != null) {
      String text = files.get(ConfigFiles.require(file));
      if (text == null) {
        throw new HistoryException("version " + version.rev() + " has no " + file + " (it was absent then)");
      }
      System.out.print(text);
      return 0;
    }
    System.out.println(ConfigLogCommand.line(version));
    for (String name : ConfigFiles.NAMES) {
      System.out.println();
      System.out.println("==> " + name + " <==");
      System.out.print(files.getOrDefault(name, "# (absent)\n"));
    }
    return 0;
  }
}
