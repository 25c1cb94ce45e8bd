package io.servicemanager.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.auth.SessionCookie;
import io.servicemanager.auth.UserDirectory;
import io.servicemanager.config.HttpOptions;
import io.servicemanager.insight.OperationStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REST API, /ws, the event-bus bridges (SockJS at /eventbus; TCP when configured), /metrics and the
 * dashboard's files (DESIGN §4–§6): a route table ({@link #routes(OpenApiDocument, RequestDeadlines, WebAssets)})
 * over route groups, a server from {@link ServerOptionsFactory}, and one {@link Feed} that pushes to
 * every transport. No state beyond who may come in: answers come from {@code servicemanager.snapshot}
 * or {@code servicemanager.action}, filtered for the caller's identity. Follows
 * {@code servicemanager.users}.
 *
 * <p>Every /api route but login, logout, health and the OpenAPI document (it describes, it holds no
 * data) needs an identity ({@link Authenticator}), and so does /ws; the static files do not, they
 * carry no data. /metrics needs one that sees every service unless {@code metrics.public}.
 *
 * <p>Config: {@code http}, {@code metrics} and {@code bridge} as {@link HttpOptions} writes them
 * ({@code http.port} 0 picks a free one; a negative value one shared by every server given it), plus
 * {@code webroot} (a folder, else the jar's copy), {@code first} and {@code instances} (default true, 1), and
 * {@link #FLEET_NODE} on a fleet's dashboard node.
 *
 * <p>Deployed as several instances on one port (Vert.x hands each new connection to the next
 * instance's event loop). Each has its own router and feed and consumes the event-bus addresses
 * itself, so a publish reaches every instance's clients; what holds across them is in {@link HttpShared}.
 */
public final class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
  /** Config key: this dashboard's node name in a fleet (its feed then carries every node's services); absent when standalone. */
  public static final String FLEET_NODE = "fleet_node";

  private final HttpShared shared;
  private final Authenticator.Setup setup;
  private Authenticator authenticator;
  private HttpServer server;
  private Router router;
  private Feed feed;
  private WebSocketHub hub;
  private TcpBridge tcpBridge;
  private HttpOptions options;

  /** A single instance with nothing shared: registers its own meters in {@code metrics}. */
  public HttpVerticle(OperationStore history, UserDirectory users, byte[] sessionKey, boolean anonymousViewer,
      PrometheusMeterRegistry metrics) {
    this(new HttpShared(history, users, sessionKey, anonymousViewer, metrics));
  }

  /** One of several instances, all given the same {@code shared}. */
  public HttpVerticle(HttpShared shared) {
    this.shared = shared;
    this.setup = shared.setup();
  }

  @Override
  public Future<?> start() {
    options = HttpOptions.fromJson(config());
    authenticator = new Authenticator(vertx, setup.users(), new SessionCookie(setup.sessionKey(), Clock.systemUTC()),
        shared.throttle(), shared.basicCache(), setup.anonymousViewer());
    feed = new Feed(vertx, shared.pushLatency(), config().getString(FLEET_NODE));
    hub = new WebSocketHub(vertx, feed, 1000L * options.limits().wsPingIntervalSeconds());
    shared.add(hub);
    vertx.eventBus().<JsonObject>consumer(Addresses.USERS, m -> {
      if (!m.body().containsKey("errors")) {
        authenticator.directory(shared.users(m.body()));
        feed.closeAll(); // /ws, SockJS and TCP alike
      }
    });
    Future<WebAssets> assets = shared.assets(vertx, webroot(config()));
    return vertx.executeBlocking(OpenApiDocument::load).compose(openApi -> assets.compose(a -> listen(openApi, a)));
  }

  @Override
  public Future<?> stop() {
    shared.remove(hub);
    return Future.succeededFuture();
  }

  /** The folder (or the jar's resource folder) the web files are read from. */
  public static String webroot(JsonObject config) {
    return config.getString("webroot", "webroot");
  }

  /** The first instance speaks for all: it logs the start-up and runs the TCP bridge. */
  private boolean first() {
    return config().getBoolean("first", true);
  }

  /** The route table, in the order a request meets it. */
  private void routes(OpenApiDocument openApi, RequestDeadlines deadlines, WebAssets assets) {
    boolean tls = options.tls() != null;
    router = Router.router(vertx);
    ApiFailures failures = new ApiFailures(router);
    RequestGuards guards = new RequestGuards(tls);
    AuthRoutes auth = new AuthRoutes(authenticator, tls);
    ServiceRoutes services = new ServiceRoutes(vertx, shared.history());
    router.route().handler(deadlines::request);
    router.route().handler(guards::securityHeaders);
    router.route("/api/*").handler(guards::decodableQuery);
    router.route("/api/*").handler(guards::body);
    router.route("/api/*").failureHandler(failures::failure);
    router.post("/api/login").handler(auth::login);
    router.post("/api/logout").handler(auth::logout);
    router.get("/api/health").handler(new HealthRoute(vertx)::health);
    // Describes the API and holds no data; a client reads it before it has credentials.
    router.get("/api/openapi.yaml").handler(openApi::serve);
    router.route("/api/*").handler(auth::authenticate);
    router.get("/api/session").handler(auth::session);
    router.get("/api/services").handler(services::listServices);
    router.get("/api/services/:name").handler(services::getService);
    router.post("/api/services/:name/:action").handler(services::act);
    router.get("/api/history").handler(services::history);
    new JournalRoutes(vertx).mount(router);
    new InsightRoutes(vertx).mount(router);
    new ConfigRoutes(vertx).mount(router);
    new NodeRoutes(vertx).mount(router);
    router.route("/api/*").handler(failures::noRoute);
    router.get("/ws").handler(new WebSocketRoute(authenticator, auth, hub, tls)::upgrade);
    new SockJsBridge(vertx, feed, authenticator, auth, tls, 1000L * options.limits().idleTimeoutSeconds())
        .mount(router, "/eventbus");
    router.get("/metrics").handler(new MetricsRoute(vertx, authenticator, auth, shared.metrics(),
        options.metricsPublic())::scrape);
    router.route().handler(StaticFiles.handler(assets));
  }

  private Future<HttpServer> listen(OpenApiDocument openApi, WebAssets assets) {
    RequestDeadlines deadlines = RequestDeadlines.of(vertx, options.limits());
    routes(openApi, deadlines, assets);
    Future<?> tcp = Future.succeededFuture();
    if (options.bridge().tcpEnabled() && first()) { // why only the first: TcpBridge
      tcpBridge = new TcpBridge(vertx, feed, authenticator);
      tcp = tcpBridge.listen(options.bridge().tcpHost(), options.bridge().tcpPort());
    }
    return tcp.compose(v -> vertx.createHttpServer(ServerOptionsFactory.create(options))
        .connectionHandler(deadlines::connected)
        .invalidRequestHandler(ApiFailures::invalidRequest)
        .requestHandler(router)
        .listen()).onSuccess(this::started);
  }

  private void started(HttpServer s) {
    server = s;
    if (!first()) {
      LOG.debug("another HTTP instance listening on port {}", s.actualPort());
      return;
    }
    LOG.info("dashboard at {}://{}:{}/ ({} users, {} tokens, {} HTTP instances)",
        options.tls() != null ? "https" : "http", options.host(), s.actualPort(), setup.users().userCount(),
        setup.users().tokenCount(), config().getInteger("instances", 1));
    if (setup.users().userCount() == 0 && setup.users().tokenCount() == 0 && !setup.anonymousViewer()) {
      LOG.warn("no users or tokens yet: nobody can log in until some are added to the users file");
    }
  }

  /** The bound port, for tests and the demo when the config asked for port 0. */
  public int actualPort() {
    return server.actualPort();
  }

  /** The TCP event-bus bridge's bound port, or -1 when it is off. */
  public int tcpBridgePort() {
    return tcpBridge == null ? -1 : tcpBridge.actualPort();
  }

  /** Every route of the router, for OpenApiDocumentTest: each must be in openapi.yaml, and nothing else. */
  List<Route> routes() {
    return router.getRoutes();
  }

  /** Failed logins (passwords and tokens) since start, over every instance, for logs and metrics. */
  public long failedLogins() {
    return shared.failedLogins();
  }

  /** A JSON answer, never cached: every /api answer is about now and about this caller. */
  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode());
  }

  /** The API error answer, {@code {"error": CODE, "message": TEXT}} ({@link WireFormat#apiError}) with its status. */
  static void fail(RoutingContext ctx, ErrorCode code, String message) {
    json(ctx, code.httpStatus(), WireFormat.apiError(code, message));
  }
}
