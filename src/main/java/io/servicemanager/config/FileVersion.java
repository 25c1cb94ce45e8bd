package io.servicemanager.config;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * The format version of each configuration file, defined here and nowhere else: an optional
 * top-level {@code version:}, absent meaning 1. The schemas only say it is a whole number from 1; how
 * new a version this release reads is said here, and {@code service-manager migrate} brings an older
 * file up to it.
 */
public enum FileVersion {
  CONFIG("config.yaml", 1),
  SERVICES("services.yaml", 1),
  USERS("users.yaml", 1);

  public static final String KEY = "version";
  /** What a file without {@code version:} is. */
  public static final int ABSENT = 1;

  private final String file;
  private final int newest;

  FileVersion(String file, int newest) {
    this.file = file;
    this.newest = newest;
  }

  /** The file's name, as the configuration history calls it. */
  public String file() {
    return file;
  }

  /** The newest version of this file this release reads and writes. */
  public int newest() {
    return newest;
  }

  /** The version {@code doc} declares, {@link #ABSENT} without one; meaningful once its schema accepted it. */
  public static int of(JsonObject doc) {
    return doc.getValue(KEY) instanceof Number n ? n.intValue() : ABSENT;
  }

  /**
   * The one error for a file a newer release wrote: its other keys may mean what this release cannot
   * know, so they are not judged (a guess could drop a permission). Empty when this release reads it.
   */
  public Optional<String> newer(JsonObject doc) {
    Object value = doc.getValue(KEY);
    if (!(value instanceof Integer || value instanceof Long || value instanceof BigInteger)
        || new BigInteger(value.toString()).compareTo(BigInteger.valueOf(newest)) <= 0) {
      return Optional.empty();
    }
    return Optional.of(KEY + ": " + value + " is newer than this Service Manager knows (it reads " + file
        + " up to version " + newest + "): the file was written by a newer Service Manager; upgrade, or restore a backup");
  }

  /** {@code validation} of {@code doc}, unless a newer release wrote it: then that error alone. */
  public <T> Validated<T> unlessNewer(JsonObject doc, java.util.function.Supplier<Validated<T>> validation) {
    return newer(doc).<Validated<T>>map(error -> Validated.failed(List.of(error))).orElseGet(validation);
  }
}
