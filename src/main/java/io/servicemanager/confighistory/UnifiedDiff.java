package io.servicemanager.confighistory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;

/** A unified diff of two versions' files, as git prints it (JGit's histogram diff, 3 lines of context). */
public final class UnifiedDiff {
  private UnifiedDiff() {}

  /** Each file that differs, in {@link ConfigFiles#NAMES} order; labels name the two sides ("1a2b3c4", "today's files"). */
  public static String of(Map<String, String> before, String beforeLabel, Map<String, String> after, String afterLabel) {
    StringBuilder diff = new StringBuilder();
    for (String name : ConfigFiles.NAMES) {
      diff.append(file(name, before.get(name), beforeLabel, after.get(name), afterLabel));
    }
    return diff.toString();
  }

  static String file(String name, String before, String beforeLabel, String after, String afterLabel) {
    RawText a = new RawText(bytes(before));
    RawText b = new RawText(bytes(after));
    EditList edits = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM)
        .diff(RawTextComparator.DEFAULT, a, b);
    if (edits.isEmpty() && (before == null) == (after == null)) {
      return "";
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String header = "--- " + (before == null ? "/dev/null" : "a/" + name) + "\t(" + beforeLabel + ")\n"
        + "+++ " + (after == null ? "/dev/null" : "b/" + name) + "\t(" + afterLabel + ")\n";
    out.writeBytes(header.getBytes(StandardCharsets.UTF_8));
    try (DiffFormatter formatter = new DiffFormatter(out)) {
      formatter.format(edits, a, b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
  }
}
