package io.servicemanager;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.servicemanager.action.ActionVerticle;
import io.servicemanager.auth.SecretKeyFile;
import io.servicemanager.auth.UserDirectory;
import io.servicemanager.auth.UsersFile;
import io.servicemanager.auth.UsersWatcherVerticle;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.ConfigWatcherVerticle;
import io.servicemanager.config.HttpOptions;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.confighistory.ConfigHistoryVerticle;
import io.servicemanager.discover.UnmanagedVerticle;
import io.servicemanager.history.HistoryVerticle;
import io.servicemanager.insight.InsightStore;
import io.servicemanager.insight.InsightVerticle;
import io.servicemanager.insight.OperationStore;
import io.servicemanager.insight.TransitionRecorder;
import io.servicemanager.insight.TransitionStore;
import io.servicemanager.journal.JournalCommand;
import io.servicemanager.journal.JournalVerticle;
import io.servicemanager.resources.ResourcesVerticle;
import io.servicemanager.metrics.Metrics;
import io.servicemanager.metrics.MetricsVerticle;
import io.servicemanager.notify.NotificationVerticle;
import io.servicemanager.status.StatusVerticle;
import io.servicemanager.systemd.DbusSystemdClient;
import io.servicemanager.systemd.SystemdClient;
import io.servicemanager.web.HttpShared;
import io.servicemanager.web.HttpVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** Deploys the verticles for one configuration; used by the command line, the demo and tests. */
public final class Application {
  /** The negative ports handed out for port 0; see {@link #deployHttp}. */
  private static final AtomicInteger SHARED_FREE_PORTS = new AtomicInteger();
  private final Vertx vertx;
  /** The first HTTP instance: the others listen on its port and share {@link #httpShared}. */
  private HttpVerticle http;
  private HttpShared httpShared;
  private int httpInstances;
  private InsightStore insight;
  private OperationStore operations;
  private TransitionStore transitions;
  private TransitionRecorder recorder;

  private Application(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * HTTP last, so the first /ws client already finds a snapshot to ask for. Status and actions
   * each get their own bus connection: a burst of signals never queues behind a job's call.
   */
  public static Future<Application> deploy(Vertx vertx, AppConfig config, ServiceCatalogue services) {
    return deploy(vertx, config, services, JournalCommand.HOST);
  }

  /** @param journal how journalctl is run: on this host, or in a sandboxed manager's mount namespace */
  public static Future<Application> deploy(Vertx vertx, AppConfig config, ServiceCatalogue services,
      JournalCommand journal) {
    return deploy(vertx, config, services, new DbusSystemdClient(vertx, config.bus()),
        new DbusSystemdClient(vertx, config.bus()), journal);
  }

  public static Future<Application> deploy(Vertx vertx, AppConfig config, ServiceCatalogue services,
      SystemdClient statusBus, SystemdClient actionBus) {
    return deploy(vertx, config, services, statusBus, actionBus, JournalCommand.HOST);
  }

  /**
   * The insight database is opened first, before anything acts: a file that is no database, damaged,
   * locked or newer stops start-up with an {@link io.servicemanager.insight.InsightDatabaseException}
   * (the command line exits 2) and is left as it was. So does a users file with errors (a
   * ConfigException) or a session key that cannot be read or made. The journal and the resource
   * figures are read on the action verticle's bus connection, which that verticle keeps connected:
   * they are rare, on-demand reads.
   */
  public static Future<Application> deploy(Vertx vertx, AppConfig config, ServiceCatalogue services,
      SystemdClient statusBus, SystemdClient actionBus, JournalCommand journal) {
    PrometheusMeterRegistry metrics = Metrics.registryOf(vertx);
    Application app = new Application(vertx);
    JsonObject httpConfig = HttpOptions.of(config).toJson();
    if (config.cluster() != null) {
      httpConfig.put(HttpVerticle.FLEET_NODE, config.cluster().node());
    }
    Set<String> names = services.all().stream().map(ServiceDefinition::name).collect(Collectors.toSet());
    Future<UserDirectory> users = UsersFile.load(vertx, config.auth().usersFile(), names);
    Future<byte[]> key = users.compose(u -> vertx.executeBlocking(() -> SecretKeyFile.loadOrCreate(config.auth().secretFile())));
    // The old history file is imported before any action is recorded. Metrics and notifications
    // listen before the status verticle speaks: they miss no first state.
    InsightVerticle insight = new InsightVerticle(config.insight().database(), config.historyFile(),
        config.insight().retentionDays());
    return key
        .compose(k -> vertx.deployVerticle(insight))
        .compose(id -> {
          app.insight = insight.store();
          app.operations = new OperationStore(app.insight);
          app.transitions = insight.transitions().transitions();
          app.recorder = insight.transitions().recorder();
          app.httpShared = new HttpShared(app.operations, users.result(), key.result(), config.auth().anonymousViewer(), metrics);
          if (servesHttp(config)) {
            app.httpShared.readAhead(vertx, HttpVerticle.webroot(httpConfig));
          }
          return vertx.deployVerticle(new MetricsVerticle(metrics));
        })
        // A fleet node answers its history for the dashboards (servicemanager.<node>.history).
        .compose(id -> config.cluster() == null ? Future.succeededFuture("")
            : vertx.deployVerticle(new HistoryVerticle(app.operations)))
        .compose(id -> vertx.deployVerticle(new NotificationVerticle(config.notifications(), services, metrics)))
        // The configuration history (a git repository) opens while systemd answers: neither needs the other.
        .compose(id -> Future.all(systemd(vertx, config, services, statusBus, actionBus, journal, app), keepHistory(vertx, config)))
        .compose(id -> watch(vertx, config.servicesFile()))
        .compose(id -> vertx.deployVerticle(new UsersWatcherVerticle(), new DeploymentOptions().setConfig(new JsonObject()
            .put("users_file", config.auth().usersFile().toString()).put("services", new JsonArray(List.copyOf(names))))))
        .compose(id -> servesHttp(config) ? app.deployHttp(httpConfig, config.httpInstanceCount())
            : Future.<Void>succeededFuture())
        .map(v -> app);
  }

  /**
   * The verticles that talk to systemd. The two bus connections are made at once; the readers of
   * the action verticle's connection follow it.
   */
  private static Future<?> systemd(Vertx vertx, AppConfig config, ServiceCatalogue services,
      SystemdClient statusBus, SystemdClient actionBus, JournalCommand journal, Application app) {
    Future<String> status = vertx.deployVerticle(new StatusVerticle(statusBus, services, app.transitions, app.recorder));
    Future<String> actions = vertx.deployVerticle(new ActionVerticle(actionBus, services, app.operations,
            config.jobTimeoutMs(), config.settleMs()))
        .compose(id -> vertx.deployVerticle(new JournalVerticle(actionBus, journal)))
        .compose(id -> vertx.deployVerticle(new ResourcesVerticle(actionBus)))
        .compose(id -> vertx.deployVerticle(new UnmanagedVerticle(actionBus, services)));
    return Future.all(status, actions);
  }

  /** A fleet node with {@code dashboard: false} serves no HTTP; its services are seen through the dashboards. */
  private static boolean servesHttp(AppConfig config) {
    return config.cluster() == null || config.cluster().dashboard();
  }

  /**
   * The first HTTP instance, then the others on the same port: Vert.x binds it once and hands each
   * new connection to the next instance's event loop.
   *
   * <p>Port 0 (tests) cannot be shared that way: Vert.x 5 never shares a server bound on port 0, so
   * a later server on the port it got binds again and fails (address in use). A negative port is
   * Vert.x's shared free port instead: the first server binds a free one, every later server given
   * the same negative value shares it. One value per application, so two in one JVM never mix.
   */
  private Future<Void> deployHttp(JsonObject httpConfig, int instances) {
    httpInstances = instances;
    JsonObject shared = httpConfig.copy().put("instances", instances);
    if (shared.getJsonObject("http").getInteger("port") == 0) {
      shared.getJsonObject("http").put("port", -SHARED_FREE_PORTS.incrementAndGet());
    }
    http = new HttpVerticle(httpShared);
    return vertx.deployVerticle(http, new DeploymentOptions().setConfig(shared.copy().put("first", true)))
        .compose(id -> instances == 1 ? Future.succeededFuture() : vertx.deployVerticle(
            () -> new HttpVerticle(httpShared), new DeploymentOptions().setInstances(instances - 1)
                .setConfig(shared.copy().put("first", false))))
        .mapEmpty();
  }

  /**
   * The configuration history, before the watchers so it hears their first accepted texts; a
   * history that cannot be opened stops start-up, as the insight database does.
   */
  private static Future<String> keepHistory(Vertx vertx, AppConfig config) {
    AppConfig.ConfigHistory history = config.configHistory();
    if (history == null) {
      return Future.succeededFuture("");
    }
    JsonObject files = new JsonObject().put("dir", history.dir().toString())
        .put("services_file", config.servicesFile().toString()).put("users_file", config.auth().usersFile().toString());
    if (history.configFile() != null) {
      files.put("config_file", history.configFile().toString());
    }
    return vertx.deployVerticle(new ConfigHistoryVerticle(), new DeploymentOptions().setConfig(files));
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

  /** The TCP event-bus bridge's port, or -1 when it is off. */
  public int tcpBridgePort() {
    return http.tcpBridgePort();
  }

  /** Failed password and token checks since start, over every HTTP instance (for metrics). */
  public long failedLogins() {
    return httpShared.failedLogins();
  }

  /** How many HTTP verticles share {@link #httpPort}. */
  public int httpInstances() {
    return httpInstances;
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * The insight database, open from start until Vert.x closes: what verticles that record into it
   * (transitions) are given. Open before any verticle that acts is deployed.
   */
  public InsightStore insight() {
    return insight;
  }

  /** The operations in {@link #insight}: what the action verticle records and {@code GET /api/history} reads. */
  public OperationStore operations() {
    return operations;
  }
}
