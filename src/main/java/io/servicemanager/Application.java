package io.servicemanager;

import io.servicemanager.config.AppConfig;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.status.StatusVerticle;
import io.servicemanager.systemd.DbusSystemdClient;
import io.servicemanager.systemd.SystemdClient;
import io.servicemanager.web.HttpVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Deploys the verticles for one configuration; used by the command line, the demo and tests. */
public final class Application {
  private final Vertx vertx;
  private final HttpVerticle http = new HttpVerticle();

  private Application(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Status first, so the first /ws client already finds a snapshot to ask for. */
  public static Future<Application> deploy(Vertx vertx, AppConfig config, ServiceCatalogue services) {
    return deploy(vertx, config, services, new DbusSystemdClient(vertx, config.bus()));
  }

  public static Future<Application> deploy(Vertx vertx, AppConfig config, ServiceCatalogue services,
      SystemdClient systemd) {
    Application app = new Application(vertx);
    JsonObject httpConfig = new JsonObject()
        .put("host", config.httpHost())
        .put("port", config.httpPort());
    return vertx.deployVerticle(new StatusVerticle(systemd, services))
        .compose(id -> vertx.deployVerticle(app.http, new DeploymentOptions().setConfig(httpConfig)))
        .map(id -> app);
  }

  public int httpPort() {
    return http.actualPort();
  }

  public Vertx vertx() {
    return vertx;
  }
}
