package io.servicemanager.cli;

import io.servicemanager.confighistory.ConfigFiles;
import io.servicemanager.confighistory.HistoryException;
import io.servicemanager.confighistory.Version;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** A version's files: one as it was (for a pipe), or all three under headers. */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Print version REV: FILE (config.yaml, services.yaml or users.yaml) as it was, or every file under a header.")
public final class ConfigShowCommand implements Callable<Integer> {
  @Mixin
  VersionAndFile args;

  @Override
  public Integer call() {
    return HistoryAccess.run(args.config, (vertx, history, today) -> {
      Version version = history.resolve(args.rev);
      Map<String, String> files = history.files(version);
      if (args.file != null) {
        String text = files.get(ConfigFiles.require(args.file));
        if (text == null) {
          throw new HistoryException("version " + version.rev() + " has no " + args.file + " (it was absent then)");
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
    });
  }
}
