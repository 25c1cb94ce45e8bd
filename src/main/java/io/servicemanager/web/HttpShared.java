package io.servicemanager.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.servicemanager.auth.LoginThrottle;
import io.servicemanager.auth.UserDirectory;
import io.servicemanager.auth.UsersValidator;
import io.servicemanager.insight.OperationStore;
import io.servicemanager.metrics.MetricNames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the instances of {@link HttpVerticle} deployed for one application share, each instance on
 * an event loop of its own: made once, handed to every instance.
 *
 * <ul>
 *   <li>the login throttle and the Basic cache: failures count across instances, else N instances
 *       would give an attacker N times the guesses, and the throttle's answer holds for a
 *       remembered password whichever instance remembered it;
 *   <li>the web files, read and versioned once (the first instance to start reads them);
 *   <li>the meters, registered once here: {@code ws_clients} is the sum over every instance's
 *       hub, {@code login_failures_total} reads the one throttle, and the push-latency timer is the
 *       same for every hub.
 * </ul>
 *
 * Everything else (router, authenticator, hub, bridges) is per instance.
 */
public final class HttpShared {
  /** Push latency is a few milliseconds when healthy; the upper buckets catch a stalled loop. */
  private static final Duration[] PUSH_BUCKETS = {
      Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(1000)};

  private final OperationStore history;
  private final Authenticator.Setup setup;
  private final LoginThrottle throttle = new LoginThrottle(Clock.systemUTC());
  private final BasicCache basicCache = new BasicCache();
  private final PrometheusMeterRegistry metrics;
  private final Timer pushLatency;
  /**
   * Each instance adds its hub at start, on its own loop; the scrape sums them on a worker thread.
   * A hub's size read from there may be a moment old, as it always was for the scrape.
   */
  private final List<WebSocketHub> hubs = new CopyOnWriteArrayList<>();
  private JsonObject publishedUsers;
  private UserDirectory usersFromPublished;
  private CompletableFuture<WebAssets> assets;

  /** @param metrics the registry {@code GET /metrics} scrapes; the /ws and login meters are registered in it */
  public HttpShared(OperationStore history, UserDirectory users, byte[] sessionKey, boolean anonymousViewer,
      PrometheusMeterRegistry metrics) {
    this.history = history;
    this.setup = new Authenticator.Setup(users, sessionKey, anonymousViewer);
    this.metrics = metrics;
    // With several instances each hub records its own fan-out: one sample per instance that has
    // sockets, the slowest being the time to every client.
    this.pushLatency = Timer.builder(MetricNames.PUSH_LATENCY)
        .description("From a systemd signal received on D-Bus to its /ws frame written to every client of one HTTP instance")
        .serviceLevelObjectives(PUSH_BUCKETS)
        .register(metrics);
    Gauge.builder(MetricNames.WS_CLIENTS, hubs, HttpShared::openSockets)
        .description("Open /ws connections")
        .register(metrics);
    FunctionCounter.builder(MetricNames.LOGIN_FAILURES, throttle, LoginThrottle::failedTotal)
        .description("Failed password and token checks since start")
        .register(metrics);
  }

  private static double openSockets(List<WebSocketHub> hubs) {
    return hubs.stream().mapToInt(WebSocketHub::size).sum();
  }

  OperationStore history() {
    return history;
  }

  Authenticator.Setup setup() {
    return setup;
  }

  LoginThrottle throttle() {
    return throttle;
  }

  BasicCache basicCache() {
    return basicCache;
  }

  PrometheusMeterRegistry metrics() {
    return metrics;
  }

  Timer pushLatency() {
    return pushLatency;
  }

  void add(WebSocketHub hub) {
    hubs.add(hub);
  }

  void remove(WebSocketHub hub) {
    hubs.remove(hub);
  }

  /**
   * The users file as published, checked once for every instance: each gets its own copy of the
   * message, and all but the first find the directory already built from an equal one.
   */
  synchronized UserDirectory users(JsonObject published) {
    if (!published.equals(publishedUsers)) {
      usersFromPublished = UsersValidator.validate(published, null).value();
      publishedUsers = published;
    }
    return usersFromPublished;
  }

  /**
   * The web files of {@code webroot}, read once, off the event loops, for every instance; each
   * instance gets the answer on its own context.
   */
  Future<WebAssets> assets(Vertx vertx, String webroot) {
    return Future.fromCompletionStage(read(vertx, webroot), vertx.getOrCreateContext());
  }

  /** Starts reading the web files now, for the instances deployed later: start-up goes on meanwhile. */
  public void readAhead(Vertx vertx, String webroot) {
    read(vertx, webroot);
  }

  private synchronized CompletableFuture<WebAssets> read(Vertx vertx, String webroot) {
    if (assets == null) {
      assets = vertx.executeBlocking(() -> WebAssets.load(webroot)).toCompletionStage().toCompletableFuture();
    }
    return assets;
  }

  /** Failed password and token checks since start, over every instance. */
  public long failedLogins() {
    return throttle.failedTotal();
  }
}
