package io.servicemanager.backup;

import io.servicemanager.config.AppConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the things a backup holds live, as one config.yaml names them: the three files, the insight
 * database and the configuration history. The session key is not one of them: a restored machine
 * makes a new one (everyone signs in again), and no secret travels in an archive.
 */
public record Installation(Path config, Path services, Path users, Path database, Path history) {
  static final String CONFIG = "config/config.yaml";
  static final String SERVICES = "config/services.yaml";
  static final String USERS = "config/users.yaml";
  static final String DATABASE = "insight/servicemanager.db";
  /** The history's files go under this folder, as they are in {@code config_history.dir}. */
  static final String HISTORY = "config-history/";

  public static Installation of(Path config, AppConfig app) {
    return new Installation(config.toAbsolutePath().normalize(), app.servicesFile(), app.auth().usersFile(),
        app.insight().database(), app.configHistory().dir());
  }

  /** The state directory: the insight database's folder (in a deployment, the unit's StateDirectory). */
  public Path stateDirectory() {
    return database.toAbsolutePath().normalize().getParent();
  }

  /** Where backups go unless told otherwise: {@code backups/} in the state directory. */
  public Path backups() {
    return stateDirectory().resolve("backups");
  }

  /** Archive name → file, for the three configuration files. */
  Map<String, Path> files() {
    Map<String, Path> files = new LinkedHashMap<>();
    files.put(CONFIG, config);
    files.put(SERVICES, services);
    files.put(USERS, users);
    return files;
  }
}
