package io.servicemanager.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * One YAML configuration file, read once and parsed once ({@link YamlTree}), with each way it can be
 * unusable turned into a {@link ConfigException} naming the file: absent, empty (blanks, comments and
 * document markers only), a syntax error with its line and column, a top level that is not a mapping.
 *
 * @param json the top-level mapping
 * @param duplicateKeys errors for keys written twice, reported alongside the validation errors
 * @param positions where each key and each repeated key is written, for {@link ConfigException#position}
 */
record YamlFile(JsonObject json, List<String> duplicateKeys, Map<String, ConfigException.Position> positions) {
  static final String NOT_FOUND = "file not found";
  static final String EMPTY = "file is empty";
  static final String NOT_A_MAPPING = "the top level must be a mapping of keys to values";

  /**
   * Reads {@code file}; when {@code absentIsEmpty}, an absent, empty or comment-only file reads as an
   * empty mapping (config.yaml, where every key has a default) instead of failing.
   */
  static Future<YamlFile> read(Vertx vertx, Path file, boolean absentIsEmpty) {
    return vertx.fileSystem().readFile(file.toString())
        .recover(e -> absentIsEmpty && notFound(e) ? Future.succeededFuture(null) : fail(file, readError(e)))
        .compose(bytes -> {
          String text = bytes == null ? "" : bytes.toString(StandardCharsets.UTF_8);
          if (hasNoContent(text)) {
            return absentIsEmpty ? Future.succeededFuture(new YamlFile(new JsonObject(), List.of(), Map.of()))
                : fail(file, EMPTY);
          }
          return parse(file, text);
        });
  }

  private static Future<YamlFile> parse(Path file, String text) {
    YamlTree tree;
    try {
      tree = YamlTree.parse(text);
    } catch (MarkedYAMLException e) {
      return fail(file, e.getProblemMark() == null ? "YAML syntax error: " + e.getProblem() : syntaxError(e));
    } catch (YAMLException e) {
      return fail(file, "cannot read: " + e.getMessage());
    }
    if (tree.json() == null) {
      return fail(file, NOT_A_MAPPING);
    }
    Map<String, ConfigException.Position> positions = new HashMap<>(tree.positions());
    positions.putAll(tree.duplicateKeys());
    return Future.succeededFuture(new YamlFile(tree.json(), List.copyOf(tree.duplicateKeys().keySet()), positions));
  }

  /** Blank lines, comments and document markers only: there is no document to validate. */
  static boolean hasNoContent(String text) {
    return text.lines().map(String::strip)
        .allMatch(line -> line.isEmpty() || line.startsWith("#") || line.equals("---") || line.equals("..."));
  }

  private static <T> Future<T> fail(Path file, String error) {
    return Future.failedFuture(new ConfigException(file, List.of(error)));
  }

  private static boolean notFound(Throwable e) {
    return e instanceof NoSuchFileException || e.getCause() instanceof NoSuchFileException;
  }

  private static String readError(Throwable e) {
    if (notFound(e)) {
      return NOT_FOUND;
    }
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return "cannot read: " + cause;
  }

  private static String syntaxError(MarkedYAMLException e) {
    String error = "YAML syntax error at " + at(e.getProblemMark()) + ": "
        + (e.getProblem() == null ? "invalid YAML" : e.getProblem());
    Mark context = e.getContextMark();
    if (e.getContext() != null && context != null && context.getLine() != e.getProblemMark().getLine()) {
      error += " (" + e.getContext() + " that starts at " + at(context) + ")";
    }
    return error;
  }

  private static String at(Mark mark) {
    return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }
}
