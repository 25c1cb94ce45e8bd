package io.servicemanager.confighistory;

import io.servicemanager.auth.UsersFile;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.ConfigException;
import io.servicemanager.config.ConfigLoader;
import io.servicemanager.config.ConfigValidator;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.deploy.PolkitReminder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Puts an older version back (DESIGN §5): the files it would leave on disk — the version's for the
 * chosen files, today's for the rest — are validated as a set, as start-up would, and only then
 * written, each to a temporary file beside its target and renamed over it. The watchers then apply
 * them like any edit. Blocking; for the command line.
 */
public final class ConfigRollback {
  /**
   * What the rollback would change.
   *
   * @param changed file name → the text to write (null: remove the file), services before users, so
   *     the users watcher finds the services it names
   * @param unitsChanged whether the units or their levels change, so the polkit rule must be generated again
   */
  public record Plan(Map<String, String> changed, boolean unitsChanged) {}

  /** The version cannot be put back; nothing was written. */
  public static final class Refused extends RuntimeException {
    private final List<String> errors;

    Refused(List<String> errors) {
      super(String.join("\n", errors));
      this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
      return errors;
    }
  }

  private final Vertx vertx;
  private final Map<String, Path> paths;

  /** @param paths today's files (see {@link ConfigFiles#paths}) */
  public ConfigRollback(Vertx vertx, Map<String, Path> paths) {
    this.vertx = vertx;
    this.paths = Map.copyOf(paths);
  }

  /**
   * @param version the version's files
   * @param files which of them to put back
   * @throws Refused with every error when the resulting set does not validate
   */
  public Plan plan(String rev, Map<String, String> version, List<String> files) {
    Map<String, String> today = ConfigFiles.read(paths);
    Map<String, String> candidate = new LinkedHashMap<>(today);
    Map<String, String> source = new LinkedHashMap<>();
    for (String name : ConfigFiles.NAMES) {
      if (paths.containsKey(name)) {
        boolean chosen = files.contains(name);
        if (chosen) {
          candidate.put(name, version.get(name));
        }
        source.put(name, name + (chosen ? " as in " + rev : " as today"));
      }
    }
    List<String> errors = validate(candidate, source);
    if (!errors.isEmpty()) {
      throw new Refused(errors);
    }
    Map<String, String> changed = new LinkedHashMap<>();
    for (String name : List.of(ConfigFiles.SERVICES, ConfigFiles.USERS, ConfigFiles.CONFIG)) {
      if (paths.containsKey(name) && !Objects.equals(today.get(name), candidate.get(name))) {
        changed.put(name, candidate.get(name));
      }
    }
    return new Plan(changed, PolkitReminder.needed(today.get(ConfigFiles.SERVICES), candidate.get(ConfigFiles.SERVICES)));
  }

  /** Writes a plan: every file staged first, then each renamed over its target (or removed). */
  public void write(Plan plan) {
    Map<String, Path> staged = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, String> file : plan.changed().entrySet()) {
        if (file.getValue() != null) {
          staged.put(file.getKey(), stage(paths.get(file.getKey()), file.getValue()));
        }
      }
      for (String name : plan.changed().keySet()) {
        Path target = paths.get(name);
        if (staged.containsKey(name)) {
          Files.move(staged.remove(name), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
          Files.deleteIfExists(target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      staged.values().forEach(ConfigRollback::deleteQuietly);
    }
  }

  /**
   * Replaces one file as a rollback replaces each: a complete, synced copy beside it, renamed over
   * it, so a watcher never reads half a file (for {@code discover --write}).
   */
  public static void replace(Path target, String text) {
    Path temp = null;
    try {
      temp = stage(target, text);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (temp != null) {
        deleteQuietly(temp);
      }
    }
  }

  /** A complete, synced copy beside the target, with the target's mode, so the rename is the only visible step. */
  private static Path stage(Path target, String text) throws IOException {
    Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".rollback");
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    }
    if (Files.exists(target)) {
      try {
        Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
      } catch (UnsupportedOperationException e) {
        // No POSIX modes here: the temporary file's own are kept.
      }
    }
    return temp;
  }

  /** Validates the set in a private temporary folder, with relative paths resolved against today's config folder. */
  private List<String> validate(Map<String, String> candidate, Map<String, String> source) {
    Path dir;
    try {
      dir = Files.createTempDirectory("service-manager-rollback");
      for (Map.Entry<String, String> file : candidate.entrySet()) {
        if (file.getValue() != null) {
          Files.writeString(dir.resolve(file.getKey()), file.getValue());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      List<String> errors = new ArrayList<>();
      AppConfig app = null;
      if (paths.containsKey(ConfigFiles.CONFIG)) {
        Path baseDir = paths.get(ConfigFiles.CONFIG).getParent();
        app = collect(ConfigLoader.loadOptional(vertx, dir.resolve(ConfigFiles.CONFIG),
            json -> ConfigValidator.validateApp(json, baseDir)), source.get(ConfigFiles.CONFIG), errors);
        if (app != null) {
          moved(app.servicesFile(), ConfigFiles.SERVICES, "services_file", source, errors);
          moved(app.auth().usersFile(), ConfigFiles.USERS, "auth.users_file", source, errors);
        }
      }
      ServiceCatalogue services = collect(ConfigLoader.loadServices(vertx, dir.resolve(ConfigFiles.SERVICES)),
          source.get(ConfigFiles.SERVICES), errors);
      if (app != null && services != null) {
        ConfigValidator.crossCheck(app, services).forEach(e -> errors.add(source.get(ConfigFiles.CONFIG) + ": " + e));
      }
      Set<String> names = services == null ? null
          : services.all().stream().map(ServiceDefinition::name).collect(Collectors.toSet());
      collect(UsersFile.load(vertx, dir.resolve(ConfigFiles.USERS), names), source.get(ConfigFiles.USERS), errors);
      return errors;
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(ConfigRollback::deleteQuietly);
      } catch (IOException e) {
        // Only a temporary folder is left behind.
      }
    }
  }

  /** A file the rolled-back config.yaml would look for elsewhere than today's: the watchers would never see it. */
  private void moved(Path wanted, String name, String key, Map<String, String> source, List<String> errors) {
    if (!wanted.equals(paths.get(name))) {
      errors.add(source.get(ConfigFiles.CONFIG) + ": " + key + " is " + wanted + ", today it is " + paths.get(name)
          + "; a rollback cannot move files: put back " + ConfigFiles.CONFIG + " by hand");
    }
  }

  private static <T> T collect(Future<T> loading, String source, List<String> errors) {
    try {
      return loading.await();
    } catch (ConfigException e) {
      e.errors().forEach(error -> errors.add(source + ": " + error));
      return null;
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // A leftover temporary file harms nothing.
    }
  }
}
