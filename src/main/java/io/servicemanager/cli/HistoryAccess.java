package io.servicemanager.cli;

import io.servicemanager.config.AppConfig;
import io.servicemanager.config.ConfigException;
import io.servicemanager.config.ConfigLoader;
import io.servicemanager.config.ConfigValidator;
import io.servicemanager.confighistory.ConfigFiles;
import io.servicemanager.confighistory.ConfigRepository;
import io.servicemanager.confighistory.HistoryException;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the {@code config} commands share: config.yaml read for the history's place and today's
 * files, and the history opened. Only config.yaml has to be valid, so a broken services or users
 * file can still be rolled back. Bad input — an invalid config.yaml, an unknown revision, a
 * damaged history — is printed and is exit status {@link RunCommand#INVALID_CONFIG}.
 */
final class HistoryAccess {
  /** What a command does with the history; the result is its exit status. */
  interface Use {
    int apply(Vertx vertx, ConfigRepository history, Map<String, Path> today);
  }

  private HistoryAccess() {}

  static int run(ConfigOption option, Use use) {
    Path config = option.file.toAbsolutePath().normalize();
    Vertx vertx = Vertx.vertx();
    try {
      AppConfig app = ConfigLoader.loadOptional(vertx, config, json -> ConfigValidator.validateApp(json, config.getParent())).await();
      Map<String, Path> today = ConfigFiles.paths(config, app.servicesFile(), app.auth().usersFile());
      try (ConfigRepository history = ConfigRepository.open(app.configHistory().dir())) {
        return use.apply(vertx, history, today);
      }
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return RunCommand.INVALID_CONFIG;
    } catch (HistoryException e) {
      System.err.println("config: " + e.getMessage());
      return RunCommand.INVALID_CONFIG;
    } finally {
      vertx.close();
    }
  }
}
