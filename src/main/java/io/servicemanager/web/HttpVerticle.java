package io.servicemanager.web;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.history.HistoryQuery;
import io.servicemanager.history.HistoryStore;
import io.servicemanager.metrics.MetricNames;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Duration;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REST API, the /ws push feed, the Prometheus scrape and the dashboard's static files (DESIGN §4,
 * §5). Holds no state of its own: every answer comes from {@code servicemanager.snapshot} or
 * {@code servicemanager.action}; /metrics reads the registry it is given.
 *
 * <p>Config: {@code host}, {@code port} (0 picks a free one), {@code webroot} (a folder, else the
 * copy in the jar), {@code metrics_public} (true: anyone may scrape {@code /metrics}; false: only
 * requests the {@code authorizedScraper} accepts, the others get 401).
 */
public final class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
  /** A client message is a few hundred bytes; anything near this is abuse. */
  static final int MAX_WS_MESSAGE = 64 * 1024;
  private static final int MAX_WS_FRAME = 1024 * 1024;
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
      + "form-action 'self'; frame-ancestors 'none'";

  /** Push latency is a few milliseconds when healthy; the upper buckets catch a stalled loop. */
  private static final Duration[] PUSH_BUCKETS = {
      Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(1000)};

  private final HistoryStore history;
  private final PrometheusMeterRegistry metrics;
  private final Predicate<RoutingContext> authorizedScraper;
  private HttpServer server;
  private WebSocketHub hub;

  /**
   * @param metrics the registry {@code GET /metrics} scrapes; the /ws meters are registered in it
   * @param authorizedScraper whether a request may scrape {@code /metrics} when it is not public
   */
  public HttpVerticle(HistoryStore history, PrometheusMeterRegistry metrics, Predicate<RoutingContext> authorizedScraper) {
    this.history = history;
    this.metrics = metrics;
    this.authorizedScraper = authorizedScraper;
  }

  @Override
  public Future<?> start() {
    hub = new WebSocketHub(vertx, Timer.builder(MetricNames.PUSH_LATENCY)
        .description("From a systemd signal received on D-Bus to its /ws frame written to every client")
        .serviceLevelObjectives(PUSH_BUCKETS)
        .register(metrics));
    Gauge.builder(MetricNames.WS_CLIENTS, hub, WebSocketHub::size)
        .description("Open /ws connections")
        .register(metrics);
    Router router = Router.router(vertx);
    router.route().handler(this::securityHeaders);
    router.route("/api/*").handler(BodyHandler.create().setBodyLimit(16 * 1024));
    router.get("/api/services").handler(this::listServices);
    router.get("/api/services/:name").handler(this::getService);
    router.post("/api/services/:name/:action").handler(this::act);
    router.get("/api/history").handler(this::history);
    router.get("/api/health").handler(this::health);
    router.route("/api/*").handler(ctx -> fail(ctx, ErrorCode.NOT_FOUND, "no such API route"));
    router.get("/ws").handler(this::upgrade);
    router.get("/metrics").handler(this::scrape);
    // No long browser caching: after an upgrade the dashboard's modules must not mix old and new.
    router.route().handler(StaticHandler.create(config().getString("webroot", "webroot"))
        .setIndexPage("index.html")
        .setCachingEnabled(false));

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config().getString("host", "127.0.0.1"))
        .setPort(config().getInteger("port", 8080))
        // Our own limit (MAX_WS_MESSAGE) closes with 1009; Netty's is only the last resort.
        .setMaxWebSocketFrameSize(MAX_WS_FRAME)
        .setMaxWebSocketMessageSize(MAX_WS_FRAME)
        .setMaxHeaderSize(16 * 1024)
        .setMaxInitialLineLength(8 * 1024);
    return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(s -> {
      server = s;
      LOG.info("dashboard at http://{}:{}/", options.getHost(), s.actualPort());
    });
  }

  /** The bound port, for tests and the demo when the config asked for port 0. */
  public int actualPort() {
    return server.actualPort();
  }

  private void securityHeaders(RoutingContext ctx) {
    ctx.response().headers()
        .set("Content-Security-Policy", CSP)
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer")
        .set("X-Frame-Options", "DENY");
    ctx.next();
  }

  private Future<JsonArray> services() {
    return vertx.eventBus().<JsonObject>request(Addresses.SNAPSHOT, new JsonObject())
        .map(m -> m.body().getJsonArray("services"));
  }

  private void listServices(RoutingContext ctx) {
    services()
        .onSuccess(list -> json(ctx, 200, new JsonObject().put("services", list)))
        .onFailure(e -> fail(ctx, ErrorCode.UNAVAILABLE, "status not available"));
  }

  private void getService(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    services()
        .onSuccess(list -> list.stream()
            .map(JsonObject.class::cast)
            .filter(view -> view.getString("name").equals(name))
            .findFirst()
            .ifPresentOrElse(view -> json(ctx, 200, view),
                () -> fail(ctx, ErrorCode.UNKNOWN_SERVICE, "no service named " + ErrorCode.quote(name))))
        .onFailure(e -> fail(ctx, ErrorCode.UNAVAILABLE, "status not available"));
  }

  private void act(RoutingContext ctx) {
    Actions.request(vertx, ctx.pathParam("name"), ctx.pathParam("action"), "anonymous")
        .onSuccess(answer -> {
          int status = Actions.httpStatus(answer);
          JsonObject body = answer.copy();
          if (status != 200 && body.containsKey("code")) {
            body.put("error", body.remove("code"));
          }
          json(ctx, status, body);
        });
  }

  private void history(RoutingContext ctx) {
    HistoryQuery.Parsed parsed = HistoryQuery.parse(ctx.queryParams());
    if (!parsed.valid()) {
      fail(ctx, ErrorCode.BAD_REQUEST, parsed.error());
      return;
    }
    history.query(parsed.query())
        .onSuccess(entries -> json(ctx, 200, new JsonObject().put("entries", new JsonArray(entries))))
        .onFailure(e -> {
          LOG.error("reading the history failed", e);
          fail(ctx, ErrorCode.INTERNAL_ERROR, "the history cannot be read: " + e.getMessage());
        });
  }

  private void health(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.SNAPSHOT, new JsonObject())
        .map(m -> m.body().getString("dbus"))
        .otherwise("disconnected")
        .onSuccess(dbus -> {
          boolean up = "connected".equals(dbus);
          json(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DOWN").put("dbus", dbus));
        });
  }

  /** Prometheus text format; the scrape reads every meter, so it runs off the event loop. */
  private void scrape(RoutingContext ctx) {
    if (!config().getBoolean("metrics_public", false) && !authorizedScraper.test(ctx)) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"service-manager\"");
      fail(ctx, ErrorCode.UNAUTHORIZED, "scraping /metrics needs credentials (or metrics.public: true in config.yaml)");
      return;
    }
    vertx.executeBlocking(metrics::scrape, false).onComplete(ar -> {
      if (ar.failed()) {
        LOG.error("scraping the metrics failed", ar.cause());
        fail(ctx, ErrorCode.INTERNAL_ERROR, "the metrics cannot be read");
        return;
      }
      ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          .end(ar.result());
    });
  }

  private void upgrade(RoutingContext ctx) {
    ctx.request().toWebSocket()
        .onSuccess(hub::accept)
        .onFailure(e -> LOG.debug("/ws upgrade refused: {}", e.getMessage()));
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode());
  }

  static void fail(RoutingContext ctx, ErrorCode code, String message) {
    json(ctx, code.httpStatus(), code.body(message));
  }

}
