package io.servicemanager;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.servicemanager.action.ActionVerticle;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.ConfigWatcherVerticle;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.history.HistoryStore;
import io.servicemanager.metrics.Metrics;
import io.servicemanager.metrics.MetricsVerticle;
import io.servicemanager.notify.NotificationVerticle;
import io.servicemanager.status.StatusVerticle;
import io.servicemanager.systemd.DbusSystemdClient;
import io.servicemanager.systemd.SystemdClient;
import io.servicemanager.web.HttpVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/** Deploys the verticles for one configuration; used by the command line, the demo and tests. */
public final class Application {
  /**
   * Who may scrape /metrics when {@code metrics.public} is false. There are no credentials yet, so
   * nobody; access control replaces this with its check of the request's token or session.
   */
  static final Predicate<RoutingContext> NO_SCRAPER_CREDENTIALS = ctx -> false;

  private final Vertx vertx;
  private final HttpVerticle http;

  private Application(Vertx vertx, HttpVerticle http) {
    this.vertx = vertx;
    this.http = http;
  }

  /**
   * Status first, so the first /ws client already finds a snapshot to ask for. Status and actions
   * each get their own bus connection: a burst of signals never queues behind a job's call.
   */
  public static Future<Application> deploy(Vertx vertx, AppConfig config, ServiceCatalogue services) {
    return deploy(vertx, config, services, new DbusSystemdClient(vertx, config.bus()),
        new DbusSystemdClient(vertx, config.bus()), new HistoryStore(vertx, config.historyFile()));
  }

  /** The history file is opened first: a path that cannot be written stops start-up, not the first action. */
  public static Future<Application> deploy(Vertx vertx, AppConfig config, ServiceCatalogue services,
      SystemdClient statusBus, SystemdClient actionBus, HistoryStore history) {
    PrometheusMeterRegistry metrics = Metrics.registryOf(vertx);
    Application app = new Application(vertx, new HttpVerticle(history, metrics, NO_SCRAPER_CREDENTIALS));
    JsonObject httpConfig = new JsonObject()
        .put("host", config.httpHost())
        .put("port", config.httpPort())
        .put("metrics_public", config.metricsPublic());
    // Metrics and notifications listen before the status verticle speaks: they miss no first state.
    return history.open()
        .compose(v -> vertx.deployVerticle(new MetricsVerticle(metrics)))
        .compose(id -> vertx.deployVerticle(new NotificationVerticle(config.notifications(), services, metrics)))
        .compose(id -> vertx.deployVerticle(new StatusVerticle(statusBus, services)))
        .compose(id -> vertx.deployVerticle(new ActionVerticle(actionBus, services, history, config.jobTimeoutMs(), config.settleMs())))
        .compose(id -> watch(vertx, config.servicesFile()))
        .compose(id -> vertx.deployVerticle(app.http, new DeploymentOptions().setConfig(httpConfig)))
        .map(id -> app);
  }

  /** Live reload of the services file the catalogue came from; a catalogue built in code has none. */
  private static Future<String> watch(Vertx vertx, Path servicesFile) {
    if (!Files.isRegularFile(servicesFile)) {
      return Future.succeededFuture("");
    }
    return vertx.deployVerticle(new ConfigWatcherVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("services_file", servicesFile.toString())));
  }

  public int httpPort() {
    return http.actualPort();
  }

  public Vertx vertx() {
    return vertx;
  }
}
