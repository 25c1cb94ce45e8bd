package io.servicemanager.confighistory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The three files a version holds, under fixed names whatever they are called on disk. The session
 * key is not one of them: secrets other than the hashes and digests the files themselves hold
 * never enter the history.
 */
public final class ConfigFiles {
  public static final String CONFIG = "config.yaml";
  public static final String SERVICES = "services.yaml";
  public static final String USERS = "users.yaml";
  /** In tree order (git sorts a tree's entries by name). */
  public static final List<String> NAMES = List.of(CONFIG, SERVICES, USERS);

  private ConfigFiles() {}

  /** @throws HistoryException when {@code name} is not one of {@link #NAMES} */
  public static String require(String name) {
    if (!NAMES.contains(name)) {
      throw new HistoryException("no file " + name + " in the configuration history (known: " + String.join(", ", NAMES) + ")");
    }
    return name;
  }

  /** What the history calls each file → where it is; {@code config} may be null (a configuration built in code). */
  public static Map<String, Path> paths(Path config, Path services, Path users) {
    Map<String, Path> paths = new LinkedHashMap<>();
    if (config != null) {
      paths.put(CONFIG, config);
    }
    paths.put(SERVICES, services);
    paths.put(USERS, users);
    return paths;
  }

  /** Each file's text, null for an absent one (blocking). */
  public static Map<String, String> read(Map<String, Path> paths) {
    Map<String, String> texts = new LinkedHashMap<>();
    paths.forEach((name, path) -> texts.put(name, read(path)));
    return texts;
  }

  /** The file's text, or null when it does not exist (blocking). */
  public static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
