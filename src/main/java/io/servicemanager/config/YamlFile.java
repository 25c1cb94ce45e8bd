package io.servicemanager.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * One YAML configuration file read through {@link ConfigRetriever} (store "file", format "yaml"),
 * with each way it can be unusable turned into a {@link ConfigException} naming the file.
 *
 * <p>What the retriever does on its own (vertx-config 5.0.7), and why the text is read first:
 * an empty file comes back as {@code {}}, the same as a file holding {@code {}}; a file of only
 * blanks or comments fails with a NullPointerException; an optional store turns every failure,
 * syntax errors included, into {@code {}}; and repeated keys are merged silently. So the text is read
 * once to tell absent, empty and duplicate keys apart, and the retriever's own failures carry the
 * rest: snakeyaml's marked exception (line and column) for bad syntax, a DecodeException for a
 * top level that is a list or a plain value.
 *
 * @param json the top-level mapping
 * @param duplicateKeys errors for keys written twice, reported alongside the validation errors
 */
record YamlFile(JsonObject json, List<String> duplicateKeys) {
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
          String text = bytes == null ? "" : bytes.toString();
          if (hasNoContent(text)) {
            return absentIsEmpty ? Future.succeededFuture(new YamlFile(new JsonObject(), List.of()))
                : fail(file, EMPTY);
          }
          return retrieve(vertx, file)
              .recover(e -> fail(file, parseError(e)))
              .map(json -> new YamlFile(json, DuplicateKeys.find(text)));
        });
  }

  private static Future<JsonObject> retrieve(Vertx vertx, Path file) {
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
        .setIncludeDefaultStores(false)
        .setScanPeriod(0) // one read; ConfigWatcherVerticle does the watching
        .addStore(new ConfigStoreOptions().setType("file").setFormat("yaml")
            .setConfig(new JsonObject().put("path", file.toString()))));
    return retriever.getConfig().eventually(retriever::close);
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

  private static String parseError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
        return syntaxError(marked);
      }
    }
    if (e instanceof DecodeException) {
      // vertx-config-yaml's way of saying the document parsed but is not a mapping.
      return NOT_A_MAPPING;
    }
    // The file changed between the two reads (the watcher sees files being written).
    return notFound(e) ? NOT_FOUND : "cannot read: " + e;
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
