package io.servicemanager.backup;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a backup says about itself, its first entry: the format, the release that wrote it, when,
 * and each file's size and SHA-256, so a restore can tell a damaged or foreign archive before it
 * replaces anything.
 *
 * @param files entry name → its SHA-256 (hex) and size
 */
public record Manifest(String release, Instant created, Map<String, Sum> files) {
  public static final String NAME = "manifest.json";
  static final String FORMAT = "service-manager-backup";
  static final int FORMAT_VERSION = 1;

  public record Sum(String sha256, long size) {}

  public Manifest {
    files = Map.copyOf(files);
  }

  /** What the backup holds, in words: "config.yaml, services.yaml, the insight database and the configuration history (12 files)". */
  public String contents() {
    java.util.List<String> parts = new java.util.ArrayList<>();
    for (String name : java.util.List.of(Installation.CONFIG, Installation.SERVICES, Installation.USERS)) {
      if (files.containsKey(name)) {
        parts.add(name.substring(name.indexOf('/') + 1));
      }
    }
    if (files.containsKey(Installation.DATABASE)) {
      parts.add("the insight database");
    }
    long history = files.keySet().stream().filter(n -> n.startsWith(Installation.HISTORY)).count();
    if (history > 0) {
      parts.add("the configuration history (" + history + " files)");
    }
    if (parts.isEmpty()) {
      return "nothing";
    }
    String last = parts.remove(parts.size() - 1);
    return parts.isEmpty() ? last : String.join(", ", parts) + " and " + last;
  }

  String toJson() {
    JsonObject sums = new JsonObject();
    files.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(file -> sums.put(file.getKey(),
        new JsonObject().put("sha256", file.getValue().sha256()).put("size", file.getValue().size())));
    return new JsonObject().put("format", FORMAT).put("format_version", FORMAT_VERSION).put("service_manager", release)
        .put("created", created.toString()).put("files", sums).encodePrettily() + "\n";
  }

  /** @throws BackupException when the text is no manifest of a backup this release can read */
  static Manifest parse(String text) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException e) {
      throw new BackupException(List.of(NAME + " is not JSON: not a Service Manager backup"));
    }
    if (!FORMAT.equals(json.getValue("format"))) {
      throw new BackupException(List.of(NAME + " does not name the format " + FORMAT + ": not a Service Manager backup"));
    }
    if (!Integer.valueOf(FORMAT_VERSION).equals(json.getValue("format_version"))) {
      throw new BackupException(List.of("the backup has format version " + json.getValue("format_version")
          + ", this Service Manager reads " + FORMAT_VERSION + ": restore it with the release that wrote it ("
          + json.getValue("service_manager") + ") or newer"));
    }
    try {
      Map<String, Sum> files = new LinkedHashMap<>();
      for (Map.Entry<String, Object> file : json.getJsonObject("files")) {
        JsonObject sum = (JsonObject) file.getValue();
        files.put(file.getKey(), new Sum(sum.getString("sha256"), sum.getLong("size")));
      }
      return new Manifest(json.getString("service_manager"), Instant.parse(json.getString("created")), files);
    } catch (ClassCastException | NullPointerException | DateTimeParseException e) {
      throw new BackupException(List.of(NAME + " is malformed (" + e.getMessage() + ")"));
    }
  }
}
