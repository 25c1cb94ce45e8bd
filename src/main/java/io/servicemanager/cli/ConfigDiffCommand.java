package io.servicemanager.cli;

import io.servicemanager.confighistory.ChangeSummary;
import io.servicemanager.confighistory.ConfigFiles;
import io.servicemanager.confighistory.HistoryException;
import io.servicemanager.confighistory.UnifiedDiff;
import io.servicemanager.confighistory.Version;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** What changed, in the product's words, then as a unified diff; as git diff: no REV is the newest version against today's files. */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = {"Show what changed between two versions: a summary, then a unified diff.",
        "No REV: the newest version against today's files (edits not accepted yet show here). "
            + "One REV: that version against today's files. Two: the first against the second."})
public final class ConfigDiffCommand implements Callable<Integer> {
  static final String TODAY = "today's files";

  @Parameters(paramLabel = "REV", arity = "0..2", description = "A version as `config log` prints it, HEAD or HEAD~N.")
  List<String> revs = List.of();

  @Mixin
  ConfigOption config;

  @Override
  public Integer call() {
    return HistoryAccess.run(config, (vertx, history, today) -> {
      Version from = revs.isEmpty()
          ? history.newest().orElseThrow(() -> new HistoryException("no versions yet"))
          : history.resolve(revs.get(0));
      Map<String, String> before = history.files(from);
      Map<String, String> after;
      String toLabel;
      if (revs.size() == 2) {
        Version to = history.resolve(revs.get(1));
        after = history.files(to);
        toLabel = to.rev();
      } else {
        after = ConfigFiles.read(today);
        toLabel = TODAY;
      }
      System.out.println(from.rev() + " → " + toLabel + ": " + ChangeSummary.between(before, after));
      System.out.print(UnifiedDiff.of(before, from.rev(), after, toLabel));
      return 0;
    });
  }
}
