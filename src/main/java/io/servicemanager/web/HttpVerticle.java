package io.servicemanager.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.auth.SessionCookie;
import io.servicemanager.auth.UserDirectory;
import io.servicemanager.auth.UsersValidator;
import io.servicemanager.config.HttpOptions;
import io.servicemanager.history.HistoryStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REST API, the /ws push feed, the event-bus bridges (SockJS at /eventbus and, when configured,
 * TCP), the Prometheus scrape and the dashboard's static files (DESIGN §4, §5, §6). Holds no state of its own beyond who may come in: every answer comes from
 * {@code servicemanager.snapshot} or {@code servicemanager.action}, filtered for the caller's
 * identity; /metrics reads the registry it is given.
 *
 * <p>Every /api route but login, logout and health needs an identity ({@link Authenticator}), and
 * so does the /ws upgrade; the static files (dashboard, login form) do not, they carry no data.
 * The OpenAPI document ({@code /api/openapi.yaml}) needs none either: it describes, it holds no data.
 * /metrics needs one that sees every service (the meters name them all) unless
 * {@code metrics.public}. Consumes {@code servicemanager.users} to follow the users file.
 *
 * <p>Config: config.yaml's {@code http}, {@code metrics} and {@code bridge} sections as
 * {@link HttpOptions} writes them ({@code http.port} 0 picks a free one; a negative value picks one
 * shared by every server given the same value), plus the deployment's own {@code webroot} (a
 * folder, else the copy in the jar), {@code first} and {@code instances} (whether this is the first
 * instance, and how many there are; default true, 1).
 *
 * <p>Deployed as several instances on one port (Vert.x hands each new connection to the next
 * instance's event loop), so the /ws fan-out is written by several loops. Each instance has its own
 * router, hub and SockJS bridge, and consumes the event-bus addresses itself, so a publish reaches
 * the sockets of every instance; what must hold across instances is in {@link HttpShared}.
 */
public final class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
  /** A client message is a few hundred bytes; anything near this is abuse. */
  static final int MAX_WS_MESSAGE = 64 * 1024;
  private static final int MAX_WS_FRAME = 1024 * 1024;
  /** No /api body is near this (a login is a few dozen bytes). */
  static final int MAX_BODY = 16 * 1024;
  static final int MAX_INITIAL_LINE = 8 * 1024;
  static final int MAX_HEADERS = 16 * 1024;
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
      + "form-action 'self'; frame-ancestors 'none'";

  private final HttpShared shared;
  private final HistoryStore history;
  private final PrometheusMeterRegistry metrics;
  private final Authenticator.Setup setup;
  private Authenticator authenticator;
  private AuthRoutes auth;
  private HttpServer server;
  private Router router;
  private WebSocketHub hub;
  private ApiFailures failures;
  private final BodyHandler bodyHandler = BodyHandler.create(false).setBodyLimit(MAX_BODY);
  private RequestDeadlines deadlines;
  private SockJsBridge eventBusBridge;
  private TcpBridge tcpBridge;
  private boolean tls;
  private HttpOptions options;
  /** "connected" or "disconnected" as last published on {@code servicemanager.bus}; null: none seen yet. */
  private String busState;

  /** A single instance with nothing shared: registers its own meters in {@code metrics}. */
  public HttpVerticle(HistoryStore history, UserDirectory users, byte[] sessionKey, boolean anonymousViewer,
      PrometheusMeterRegistry metrics) {
    this(new HttpShared(history, users, sessionKey, anonymousViewer, metrics));
  }

  /** One of several instances, all given the same {@code shared}. */
  public HttpVerticle(HttpShared shared) {
    this.shared = shared;
    this.history = shared.history();
    this.setup = shared.setup();
    this.metrics = shared.metrics();
  }

  @Override
  public Future<?> start() {
    options = HttpOptions.fromJson(config());
    authenticator = new Authenticator(vertx, setup.users(), new SessionCookie(setup.sessionKey(), Clock.systemUTC()),
        shared.throttle(), shared.basicCache(), setup.anonymousViewer());
    hub = new WebSocketHub(vertx, shared.pushLatency(),
        1000L * options.limits().wsPingIntervalSeconds());
    deadlines = new RequestDeadlines(vertx,
        1000L * options.limits().headTimeoutSeconds(),
        1000L * options.limits().bodyTimeoutSeconds(),
        1000L * options.limits().idleTimeoutSeconds());
    shared.add(hub);
    vertx.eventBus().<JsonObject>consumer(Addresses.BUS_STATE,
        m -> busState = m.body().getBoolean("connected", false) ? "connected" : "disconnected");
    vertx.eventBus().<JsonObject>consumer(Addresses.USERS, m -> {
      if (!m.body().containsKey("errors")) {
        authenticator.directory(UsersValidator.validate(m.body(), null).value());
        hub.closeAll();
        eventBusBridge.closeAll();
        if (tcpBridge != null) {
          tcpBridge.closeAll();
        }
      }
    });
    tls = options.tls() != null;
    return vertx.executeBlocking(OpenApiDocument::load).compose(this::listen);
  }

  @Override
  public Future<?> stop() {
    shared.remove(hub);
    return Future.succeededFuture();
  }

  /** The first instance speaks for all: it logs the start-up and runs the TCP bridge. */
  private boolean first() {
    return config().getBoolean("first", true);
  }

  private Future<HttpServer> listen(OpenApiDocument openApi) {
    router = Router.router(vertx);
    failures = new ApiFailures(router);
    router.route().handler(deadlines::request);
    router.route().handler(this::securityHeaders);
    // Every later handler reads the query (and the body handler merges a form into it): one that
    // cannot be decoded is refused here, once, rather than thrown where nobody answers.
    router.route("/api/*").handler(HttpVerticle::decodableQuery);
    router.route("/api/*").handler(this::body);
    router.route("/api/*").failureHandler(failures::failure);
    auth = new AuthRoutes(authenticator, tls);
    ServiceRoutes services = new ServiceRoutes(vertx, history);
    router.post("/api/login").handler(auth::login);
    router.post("/api/logout").handler(auth::logout);
    // For probes: up or down, nothing about any service, so no credentials needed.
    router.get("/api/health").handler(this::health);
    // Describes the API and holds no data; a client reads it before it has credentials.
    router.get("/api/openapi.yaml").handler(openApi::serve);
    router.route("/api/*").handler(auth::authenticate);
    router.get("/api/session").handler(auth::session);
    router.get("/api/services").handler(services::listServices);
    router.get("/api/services/:name").handler(services::getService);
    router.post("/api/services/:name/:action").handler(services::act);
    router.get("/api/history").handler(services::history);
    new InsightRoutes(vertx).mount(router);
    router.route("/api/*").handler(failures::noRoute);
    router.get("/ws").handler(this::upgrade);
    eventBusBridge = new SockJsBridge(vertx, authenticator, auth, tls,
        1000L * options.limits().idleTimeoutSeconds());
    eventBusBridge.mount(router, "/eventbus");
    router.get("/metrics").handler(new MetricsRoute(vertx, authenticator, auth, metrics,
        options.metricsPublic())::scrape);
    // No long browser caching: after an upgrade the dashboard's modules must not mix old and new.
    router.route().handler(StaticHandler.create(config().getString("webroot", "webroot"))
        .setIndexPage("index.html")
        .setCachingEnabled(false));

    HttpServerOptions serverOptions = new HttpServerOptions()
        .setHost(options.host())
        .setPort(options.port())
        // Our own limit (MAX_WS_MESSAGE) closes with 1009; Netty's is only the last resort.
        .setMaxWebSocketFrameSize(MAX_WS_FRAME)
        .setMaxWebSocketMessageSize(MAX_WS_FRAME)
        .setMaxHeaderSize(MAX_HEADERS)
        .setMaxInitialLineLength(MAX_INITIAL_LINE)
        .setMaxFormAttributeSize(MAX_BODY)
        // Silence this long closes a connection; a /ws peer is pinged more often than that.
        .setIdleTimeout(options.limits().idleTimeoutSeconds())
        // HTTP/1.1 only: RequestDeadlines watches one request at a time per connection.
        .setHttp2ClearTextEnabled(false)
        // Browsers offer permessage-deflate; accepted, every frame would be compressed once per
        // socket with a deflater kept per connection (hundreds of KiB each): fan-out to thousands
        // of clients would pay that in CPU and memory to shrink frames of a few hundred bytes.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
    if (tls) {
      serverOptions.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(options.tls().cert().toString()).setKeyPath(options.tls().key().toString()));
    }
    Future<?> tcp = Future.succeededFuture();
    // Only in the first instance. Vert.x would share its port between instances as it does the
    // HTTP port, but the bridge serves a few scripts, not thousands of browsers: spreading them buys
    // nothing, and one listener keeps port 0 simple (no second bind on the port the first got) and
    // its log line single.
    if (options.bridge().tcpEnabled() && first()) {
      tcpBridge = new TcpBridge(vertx, authenticator);
      tcp = tcpBridge.listen(options.bridge().tcpHost(), options.bridge().tcpPort());
    }
    return tcp.compose(v -> vertx.createHttpServer(serverOptions)
        .connectionHandler(deadlines::connected)
        .invalidRequestHandler(ApiFailures::invalidRequest)
        .requestHandler(router)
        .listen()).onSuccess(s -> {
      server = s;
      if (!first()) {
        LOG.debug("another HTTP instance listening on port {}", s.actualPort());
        return;
      }
      LOG.info("dashboard at {}://{}:{}/ ({} users, {} tokens, {} HTTP instances)", tls ? "https" : "http",
          serverOptions.getHost(), s.actualPort(), setup.users().userCount(), setup.users().tokenCount(),
          config().getInteger("instances", 1));
      if (setup.users().userCount() == 0 && setup.users().tokenCount() == 0 && !setup.anonymousViewer()) {
        LOG.warn("no users or tokens yet: nobody can log in until some are added to the users file");
      }
    });
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

  private static void decodableQuery(RoutingContext ctx) {
    try {
      ctx.request().params();
      ctx.queryParams();
    } catch (RuntimeException e) {
      ClientFaults.HTTP.log(ctx.request().method() + " " + ErrorCode.quote(ctx.request().path()) + " from "
          + ctx.request().remoteAddress() + ": query not decodable");
      if (!ctx.request().isEnded()) {
        ApiFailures.closeAfterAnswer(ctx);
      }
      fail(ctx, ErrorCode.BAD_REQUEST, "the query string is not valid: a % must be followed by two hex digits"
          + " of UTF-8");
      return;
    }
    ctx.next();
  }

  /**
   * Only POST has a body here, and only JSON: a form or multipart body is refused before Vert.x
   * would decode it (on any other method its decoder throws; bodies of other methods are ignored).
   * Every body is bounded (413 over the limit); none is a file upload, which the default handler
   * would write into the working directory.
   */
  private void body(RoutingContext ctx) {
    if (ctx.request().method() != io.vertx.core.http.HttpMethod.POST) {
      ctx.next();
      return;
    }
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    String lower = type == null ? "" : type.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("application/x-www-form-urlencoded") || lower.startsWith("multipart/")) {
      ClientFaults.HTTP.log(ctx.request().method() + " " + ErrorCode.quote(ctx.request().path()) + " from "
          + ctx.request().remoteAddress() + ": form body refused");
      if (!ctx.request().isEnded()) {
        ApiFailures.closeAfterAnswer(ctx);
      }
      fail(ctx, ErrorCode.BAD_REQUEST, "form bodies are not accepted; send JSON (application/json) or no body");
      return;
    }
    bodyHandler.handle(ctx);
  }

  private void securityHeaders(RoutingContext ctx) {
    ctx.response().headers()
        .set("Content-Security-Policy", CSP)
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer")
        .set("X-Frame-Options", "DENY");
    if (tls) {
      ctx.response().headers().set("Strict-Transport-Security", "max-age=31536000");
    }
    ctx.next();
  }

  /**
   * From the bus state this verticle follows; only until it has seen one (it may have been deployed
   * after the last change) does it ask the status verticle, whose snapshot builds every view.
   */
  private void health(RoutingContext ctx) {
    Future<String> dbus = busState != null ? Future.succeededFuture(busState)
        : vertx.eventBus().<JsonObject>request(Addresses.SNAPSHOT, new JsonObject())
            .map(m -> m.body().getString("dbus"))
            .onSuccess(state -> {
              if (busState == null) { // a change published meanwhile is newer
                busState = state;
              }
            });
    dbus.otherwise("disconnected").onSuccess(state -> {
      boolean up = "connected".equals(state);
      json(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DOWN").put("dbus", state));
    });
  }

  /** Origin first (a foreign page is refused whoever it claims to be), then who; only then the upgrade. */
  private void upgrade(RoutingContext ctx) {
    if (!SameOrigin.absentOrMatches(ctx.request(), tls)) {
      ClientFaults.AUTH.log("/ws upgrade from foreign origin "
          + ErrorCode.quote(String.valueOf(ctx.request().getHeader(HttpHeaders.ORIGIN))) + " refused");
      fail(ctx, ErrorCode.FORBIDDEN, "cross-origin WebSocket refused");
      return;
    }
    ctx.request().pause();
    authenticator.authenticate(ctx.request())
        .onSuccess(caller -> ctx.request().toWebSocket()
            .onSuccess(ws -> hub.accept(ws, caller.identity(), caller.expiresEpochSeconds()))
            .onFailure(e -> LOG.debug("/ws upgrade refused: {}", e.getMessage())))
        .onFailure(e -> {
          ctx.request().resume();
          auth.refuse(ctx, e, false); // no Basic challenge: browsers do not answer one for WebSockets
        });
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode());
  }

  static void fail(RoutingContext ctx, ErrorCode code, String message) {
    json(ctx, code.httpStatus(), WireFormat.apiError(code, message));
  }
}
