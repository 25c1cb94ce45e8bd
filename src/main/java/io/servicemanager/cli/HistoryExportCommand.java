package io.servicemanager.cli;

import io.servicemanager.config.AppConfig;
import io.servicemanager.config.ConfigException;
import io.servicemanager.config.ConfigLoader;
import io.servicemanager.config.ConfigValidator;
import io.servicemanager.insight.InsightDatabaseException;
import io.servicemanager.insight.InsightExport;
import io.servicemanager.insight.InsightStore;
import io.vertx.core.Vertx;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Prints the recorded operations and transitions as JSON Lines, oldest first, for people who grep.
 * Only config.yaml is read (for {@code insight.database}); the database is read, never created.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Print the recorded operations and transitions as JSON Lines, oldest first.")
public final class HistoryExportCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  @Option(names = "--service", paramLabel = "S", description = "Only this service's records.")
  String service;

  @Option(names = "--since", paramLabel = "T",
      description = "Only records from this time on: an ISO-8601 instant (2026-11-28T10:31:02Z) or a UTC date (2026-11-28).")
  String since;

  @Override
  public Integer call() {
    Instant from;
    try {
      from = since == null ? null : since(since);
    } catch (IllegalArgumentException e) {
      System.err.println("history export: " + e.getMessage());
      return RunCommand.INVALID_CONFIG;
    }
    Path file = config.file.toAbsolutePath().normalize();
    Vertx vertx = Vertx.vertx();
    try {
      AppConfig app = ConfigLoader.loadOptional(vertx, file, json -> ConfigValidator.validateApp(json, file.getParent())).await();
      Path database = app.insight().database();
      if (!Files.isRegularFile(database)) {
        System.err.println("history export: no insight database at " + database + " (Service Manager makes it at start)");
        return RunCommand.INVALID_CONFIG;
      }
      InsightStore store = InsightStore.open(vertx, database).await();
      Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
      try {
        InsightExport.export(store, service, from, out).await();
      } finally {
        store.close().await();
      }
      return 0;
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return RunCommand.INVALID_CONFIG;
    } catch (Exception e) {
      // await() rethrows a checked failure as it is: an insight database that cannot be used.
      if (e instanceof InsightDatabaseException) {
        System.err.println("history export: " + e.getMessage());
        return RunCommand.INVALID_CONFIG;
      }
      System.err.println("history export: " + e.getMessage());
      return 1;
    } finally {
      vertx.close();
    }
  }

  /** An ISO-8601 instant, or a date taken as the start of that day in UTC. */
  static Instant since(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notAnInstant) {
      try {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notADate) {
        throw new IllegalArgumentException("--since: not an ISO-8601 time such as 2026-11-28T10:31:02Z or a date"
            + " such as 2026-11-28 (got \"" + text + "\")");
      }
    }
  }
}
