package io.servicemanager.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The errors code finds where a schema cannot say them (a unit name, a URL, a password hash, what
 * another file holds), each filed under the path it names so that {@link SchemaVerdict#errors} tells
 * it in its place among the schema's.
 */
public final class Problems {
  private final Map<String, List<String>> byPath = new LinkedHashMap<>();

  /** {@code problem} about {@code path} ({@code ""}: the whole file), without the path. */
  public void add(String path, String problem) {
    byPath.computeIfAbsent(path, p -> new ArrayList<>()).add(SchemaVerdict.prefix(path) + problem);
  }

  public boolean isEmpty() {
    return byPath.isEmpty();
  }

  List<String> take(String path) {
    List<String> found = byPath.remove(path);
    return found == null ? List.of() : found;
  }

  List<String> rest() {
    List<String> rest = new ArrayList<>();
    byPath.values().forEach(rest::addAll);
    byPath.clear();
    return rest;
  }
}
