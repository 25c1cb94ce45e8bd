package io.servicemanager.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicemanager.Application;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.insight.OperationQuery;
import io.servicemanager.testing.LogCapture;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.servicemanager.testing.WsClient;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Nothing can be seen or done without the right identity, route by route, on a real systemd: an
 * operator limited to "mine", a viewer, a token limited to "mine", and the unrestricted test operator.
 */
class AuthIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String SLEEP = "[Service]\nExecStart=/bin/sleep 400\n";
  /** Restarted many times within seconds here: no start limit. */
  private static final String ONESHOT =
      "[Unit]\nStartLimitIntervalSec=0\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n";
  static final String ALICE_PASSWORD = "alice-password";
  static final String VICTOR_PASSWORD = "victor-password";

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withUnit("mine.service", ONESHOT)
      .withUnit("theirs.service", ONESHOT)
      .withUnit("sleepy.service", SLEEP);

  static Vertx vertx;
  static AppConfig config;
  static Application app;
  static WebClient http;
  static String botToken;

  static ServiceCatalogue catalogue() {
    return new ServiceCatalogue(List.of(
        new ServiceDefinition("mine", "mine.service", "Mine", "alice's", Permission.ALL, true),
        new ServiceDefinition("theirs", "theirs.service", "Theirs", "not alice's", Permission.ALL, true),
        new ServiceDefinition("sleepy", "sleepy.service", "Sleepy", "restart only", Permission.RESTART, true)));
  }

  /** The users every deployment of this class knows. */
  static void writeUsers(Path file) {
    TestConfigs.writeUsers(file,
        "  alice:", "    password: \"" + PasswordHash.hash(ALICE_PASSWORD.toCharArray()) + "\"",
        "    role: operator", "    services: [mine]",
        "  victor:", "    password: \"" + PasswordHash.hash(VICTOR_PASSWORD.toCharArray()) + "\"",
        "    role: viewer",
        "tokens:", "  bot:", "    sha256: \"" + Tokens.sha256Hex(botToken) + "\"", "    role: operator",
        "    services: [mine]");
  }

  static Application deploy(Vertx on, AppConfig appConfig) {
    return Application.deploy(on, appConfig, catalogue()).await();
  }

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    botToken = Tokens.newToken();
    config = TestConfigs.forBus(systemd.busAddress());
    writeUsers(config.auth().usersFile());
    app = deploy(vertx, config);
    http = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  static HttpResponse<Buffer> send(Application on, HttpMethod method, String uri, MultiMap headers, JsonObject body) {
    var request = http.request(method, on.httpPort(), "127.0.0.1", uri).putHeaders(headers);
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  static HttpResponse<Buffer> send(HttpMethod method, String uri, MultiMap headers) {
    return send(app, method, uri, headers, null);
  }

  static MultiMap auth(String value) {
    return MultiMap.caseInsensitiveMultiMap().add("Authorization", value);
  }

  static MultiMap none() {
    return MultiMap.caseInsensitiveMultiMap();
  }

  static MultiMap alice() {
    return auth(TestConfigs.basic("alice", ALICE_PASSWORD));
  }

  static MultiMap victor() {
    return auth(TestConfigs.basic("victor", VICTOR_PASSWORD));
  }

  static MultiMap operator() {
    return auth(TestConfigs.operatorBasic());
  }

  static MultiMap cookie(String value) {
    return MultiMap.caseInsensitiveMultiMap().add("Cookie", SessionCookie.NAME + "=" + value);
  }

  static String origin() {
    return "http://127.0.0.1:" + app.httpPort();
  }

  static List<String> names(JsonArray views) {
    return views.stream().map(v -> ((JsonObject) v).getString("name")).toList();
  }

  static String loginCookie(Application on, String user, String password) {
    var response = send(on, HttpMethod.POST, "/api/login", none(), new JsonObject().put("user", user).put("password", password));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    String setCookie = response.getHeader("Set-Cookie");
    return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
  }

  /** The recorded operations, oldest first. */
  static List<JsonObject> historyFile() {
    List<JsonObject> newestFirst = new ArrayList<>(app.operations().query(OperationQuery.newest(1000)).await().entries());
    Collections.reverse(newestFirst);
    return newestFirst;
  }

  static WsClient ws(Application on, MultiMap headers) {
    WebSocketConnectOptions options = new WebSocketConnectOptions();
    headers.forEach(options::addHeader);
    return WsClient.connect(vertx, on.httpPort(), options);
  }

  // ---- without credentials ---------------------------------------------------------------------

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "GET, /api/services", "GET, /api/services/mine", "POST, /api/services/mine/restart",
      "GET, /api/history", "GET, /api/session", "GET, /api/no-such-route", "GET, /metrics-or-anything/../api/services"})
  @DisplayName("Every API route without credentials answers 401 unauthorized, offering Basic to programs")
  void everyRouteNeedsCredentials(String method, String uri) {
    var response = send(HttpMethod.valueOf(method), uri, none());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(401);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");
    assertThat(response.bodyAsJsonObject().getString("message")).isNotBlank();
    assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Basic realm=\"service-manager\", charset=\"UTF-8\"");
  }

  @Test
  @DisplayName("The dashboard's own requests get 401 without a Basic challenge, so the browser shows no password dialog")
  void noChallengeForTheDashboard() {
    var response = send(HttpMethod.GET, "/api/services", none().add("X-Requested-With", "fetch"));
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate")).isNull();
  }

  @Test
  @DisplayName("Health needs no credentials and tells only UP or DOWN; the dashboard's files need none and carry no data")
  void healthAndStaticFilesAreOpen() {
    var health = send(HttpMethod.GET, "/api/health", none());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.bodyAsJsonObject().fieldNames()).containsExactlyInAnyOrder("status", "dbus");
    var page = send(HttpMethod.GET, "/", none());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.bodyAsString()).contains("login-form").doesNotContain("mine.service");
    assertThat(page.getHeader("Content-Security-Policy")).contains("script-src 'self'").contains("frame-ancestors 'none'");
    assertThat(page.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
  }

  @Test
  @DisplayName("A request body over 16 KiB is refused with 413 and a header block over 16 KiB with 431, before any password is checked")
  void sizeLimits() {
    var big = send(app, HttpMethod.POST, "/api/login", none(),
        new JsonObject().put("user", "alice").put("password", "x".repeat(20_000)));
    assertThat(big.statusCode()).isEqualTo(413);
    var headers = send(HttpMethod.GET, "/api/services", operator().add("X-Padding", "y".repeat(20_000)));
    assertThat(headers.statusCode()).isEqualTo(431);
  }

  @Test
  @DisplayName("A multipart upload to an /api route is never written to disk")
  void noUploads() {
    String boundary = "sm-test-boundary";
    String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n"
        + "Content-Type: text/plain\r\n\r\nnot for the disk\r\n--" + boundary + "--\r\n";
    for (String uri : List.of("/api/login", "/api/services")) {
      var answer = http.request(HttpMethod.POST, app.httpPort(), "127.0.0.1", uri)
          .putHeaders(operator())
          .putHeader("Content-Type", "multipart/form-data; boundary=" + boundary)
          .sendBuffer(Buffer.buffer(body)).await();
      assertThat(answer.statusCode()).as(uri).isBetween(400, 499);
    }
    // Vert.x's default body handler would have saved the part under the working directory.
    assertThat(Path.of("file-uploads")).doesNotExist();
  }

  @Test
  @DisplayName("/ws without credentials, or with wrong ones, is refused with 401 before the upgrade")
  void wsNeedsCredentials() {
    for (MultiMap headers : List.of(none(), auth(TestConfigs.basic("alice", "wrong")), auth("Bearer nope"))) {
      assertThatThrownBy(() -> ws(app, headers).close())
          .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(401));
    }
  }

  @Test
  @DisplayName("A /ws upgrade from a foreign Origin is refused with 403, whatever the credentials")
  void wsForeignOrigin() {
    assertThatThrownBy(() -> ws(app, operator().add("Origin", "http://evil.example")).close())
        .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(403));
    try (WsClient same = ws(app, operator().add("Origin", origin()))) {
      assertThat(same.awaitType("snapshot", WAIT).getJsonArray("services")).hasSize(3);
    }
  }

  // ---- roles and service lists -----------------------------------------------------------------

  @Test
  @DisplayName("A viewer sees every service without actions and is refused any action with 403, over REST and /ws")
  void viewerCannotAct() {
    var list = send(HttpMethod.GET, "/api/services", victor()).bodyAsJsonObject().getJsonArray("services");
    assertThat(names(list)).containsExactly("mine", "theirs", "sleepy");
    assertThat(list).allSatisfy(v -> assertThat(((JsonObject) v).getJsonArray("allowed_actions")).isEmpty());
    assertThat(list.getJsonObject(0).getString("permissions")).as("the service's level is still shown").isEqualTo("all");

    var refused = send(HttpMethod.POST, "/api/services/mine/restart", victor());
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("forbidden");

    try (WsClient ws = ws(app, victor())) {
      ws.awaitType("snapshot", WAIT);
      ws.send(new JsonObject().put("type", "action").put("id", "v1").put("service", "mine").put("action", "restart"));
      assertThat(ws.awaitType("result", WAIT).getString("code")).isEqualTo("forbidden");
    }
  }

  @Test
  @DisplayName("An operator's foreign service is 404 on every route and absent from lists and history")
  void foreignServiceDoesNotExist() {
    assertThat(send(HttpMethod.POST, "/api/services/theirs/restart", operator()).statusCode()).isEqualTo(200);

    var list = send(HttpMethod.GET, "/api/services", alice()).bodyAsJsonObject().getJsonArray("services");
    assertThat(names(list)).containsExactly("mine");
    assertThat(list.getJsonObject(0).getJsonArray("allowed_actions")).containsExactly("start", "stop", "restart");
    for (var request : List.of(List.of("GET", "/api/services/theirs"), List.of("POST", "/api/services/theirs/restart"),
        List.of("POST", "/api/services/theirs/explode"))) {
      var response = send(HttpMethod.valueOf(request.get(0)), request.get(1), alice());
      assertThat(response.statusCode()).as(request.toString()).isEqualTo(404);
      assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("unknown_service");
      assertThat(response.bodyAsString()).as("said exactly as for a name never configured")
          .isEqualTo(send(HttpMethod.valueOf(request.get(0)), request.get(1).replace("theirs", "nowhere"), alice())
              .bodyAsString().replace("nowhere", "theirs"));
    }
    JsonArray all = send(HttpMethod.GET, "/api/history", alice()).bodyAsJsonObject().getJsonArray("entries");
    assertThat(all).noneMatch(e -> "theirs".equals(((JsonObject) e).getString("service")));
    var foreignHistory = send(HttpMethod.GET, "/api/history?service=theirs", alice());
    assertThat(foreignHistory.statusCode()).isEqualTo(404);
    assertThat(foreignHistory.bodyAsJsonObject().getString("error")).isEqualTo("unknown_service");
    assertThat(foreignHistory.bodyAsString()).as("said exactly as for a name never configured")
        .isEqualTo(send(HttpMethod.GET, "/api/history?service=nowhere", alice()).bodyAsString().replace("nowhere", "theirs"));
    assertThat(send(HttpMethod.GET, "/api/history?service=theirs", operator()).bodyAsJsonObject().getJsonArray("entries"))
        .as("the unrestricted operator does see it").isNotEmpty();
  }

  @Test
  @DisplayName("Over /ws a foreign service is never pushed: not in the snapshot, no status, no operation")
  void foreignServiceNeverPushed() {
    var started = send(HttpMethod.POST, "/api/services/theirs/start", operator());
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(200);
    try (WsClient aliceWs = ws(app, alice()); WsClient all = WsClient.connect(vertx, app.httpPort())) {
      assertThat(names(aliceWs.awaitType("snapshot", WAIT).getJsonArray("services"))).containsExactly("mine");
      all.awaitType("snapshot", WAIT);
      // A change of theirs, then one of mine: once mine's operation reached alice, theirs had its chance too.
      var stopped = send(HttpMethod.POST, "/api/services/theirs/stop", operator());
      assertThat(stopped.statusCode()).as(stopped.bodyAsString()).isEqualTo(200);
      all.await(f -> "operation".equals(f.getString("type")) && "theirs".equals(f.getString("service")), WAIT);
      all.awaitStatus("theirs", "inactive", WAIT);
      var restarted = send(HttpMethod.POST, "/api/services/mine/restart", operator());
      assertThat(restarted.statusCode()).as(restarted.bodyAsString()).isEqualTo(200);
      aliceWs.await(f -> "operation".equals(f.getString("type")) && "mine".equals(f.getString("service")), WAIT);
      assertThat(aliceWs.allReceived()).isNotEmpty().noneMatch(f -> f.encode().contains("theirs"));
    }
  }

  @Test
  @DisplayName("A token acts as token:NAME on its own services only; an unknown token is 401")
  void tokensLimitedToTheirServices() throws Exception {
    MultiMap bot = auth("Bearer " + botToken);
    assertThat(names(send(HttpMethod.GET, "/api/services", bot).bodyAsJsonObject().getJsonArray("services")))
        .containsExactly("mine");
    var done = send(HttpMethod.POST, "/api/services/mine/restart", bot);
    assertThat(done.statusCode()).as(done.bodyAsString()).isEqualTo(200);
    assertThat(historyFile().get(historyFile().size() - 1).getString("user")).isEqualTo("token:bot");
    assertThat(send(HttpMethod.POST, "/api/services/theirs/restart", bot).statusCode()).isEqualTo(404);
    assertThat(send(HttpMethod.GET, "/api/services", auth("Bearer " + Tokens.newToken())).statusCode()).isEqualTo(401);
    assertThat(send(HttpMethod.GET, "/api/services", auth("Digest x")).statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("A client that names another user is recorded as itself, over REST and /ws")
  void userComesFromTheIdentityNotTheMessage() throws Exception {
    var rest = send(app, HttpMethod.POST, "/api/services/mine/restart?user=admin", alice(), new JsonObject().put("user", "admin"));
    assertThat(rest.statusCode()).as(rest.bodyAsString()).isEqualTo(200);
    assertThat(historyFile().get(historyFile().size() - 1).getString("user")).isEqualTo("alice");

    try (WsClient ws = ws(app, alice())) {
      ws.awaitType("snapshot", WAIT);
      ws.send(new JsonObject().put("type", "action").put("id", "a1").put("service", "mine").put("action", "restart")
          .put("user", "admin").put("identity", new JsonObject().put("name", "admin").put("role", "operator")));
      assertThat(ws.awaitType("result", WAIT).getString("status")).isEqualTo("success");
      JsonObject op = ws.await(f -> "operation".equals(f.getString("type")), WAIT);
      assertThat(op.getString("user")).isEqualTo("alice");
    }
    assertThat(historyFile().get(historyFile().size() - 1).getString("user")).isEqualTo("alice");
    assertThat(historyFile()).noneMatch(r -> "admin".equals(r.getString("user")));
  }

  // ---- sessions --------------------------------------------------------------------------------

  @Test
  @DisplayName("Login sets an HttpOnly, SameSite=Strict session cookie for 12 h that opens REST and /ws; logout clears it")
  void loginAndLogout() {
    var response = send(app, HttpMethod.POST, "/api/login", none(),
        new JsonObject().put("user", "alice").put("password", ALICE_PASSWORD));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("user")).isEqualTo("alice");
    assertThat(response.bodyAsJsonObject().getString("role")).isEqualTo("operator");
    String setCookie = response.getHeader("Set-Cookie");
    assertThat(setCookie).startsWith(SessionCookie.NAME + "=").contains("; Path=/", "; HttpOnly", "; SameSite=Strict",
        "; Max-Age=43200").doesNotContain("Secure");
    String value = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));

    var session = send(HttpMethod.GET, "/api/session", cookie(value));
    assertThat(session.bodyAsJsonObject().getString("user")).isEqualTo("alice");
    assertThat(session.bodyAsJsonObject().getString("method")).isEqualTo("cookie");
    assertThat(names(send(HttpMethod.GET, "/api/services", cookie(value)).bodyAsJsonObject().getJsonArray("services")))
        .containsExactly("mine");
    try (WsClient ws = ws(app, cookie(value).add("Origin", origin()))) {
      assertThat(names(ws.awaitType("snapshot", WAIT).getJsonArray("services"))).containsExactly("mine");
    }

    var logout = send(app, HttpMethod.POST, "/api/logout", cookie(value), null);
    assertThat(logout.statusCode()).isEqualTo(200);
    assertThat(logout.getHeader("Set-Cookie")).startsWith(SessionCookie.NAME + "=;").contains("Max-Age=0");
  }

  @Test
  @DisplayName("A tampered, expired, foreign-key or garbage cookie is 401, over REST and /ws")
  void badCookiesRejected() throws Exception {
    String good = loginCookie(app, "alice", ALICE_PASSWORD);
    byte[] key = Files.readAllBytes(config.auth().secretFile());
    String hash = Files.readString(config.auth().usersFile()).lines()
        .dropWhile(l -> !l.startsWith("  alice:")).skip(1).findFirst().orElseThrow()
        .replaceAll(".*password: \"(.*)\"", "$1");
    Clock thirteenHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(13)), ZoneOffset.UTC);
    String expired = new SessionCookie(key, thirteenHoursAgo).issue("alice", hash);
    byte[] otherKey = new byte[32];
    new SecureRandom().nextBytes(otherKey);
    String foreignKey = new SessionCookie(otherKey, Clock.systemUTC()).issue("alice", hash);
    String payload = new String(java.util.Base64.getUrlDecoder().decode(good.substring(0, good.indexOf('.'))));
    String tampered = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        payload.replace("alice", "tester").getBytes()) + good.substring(good.indexOf('.'));
    String otherUser = new SessionCookie(key, Clock.systemUTC()).issue("tester", hash);

    assertThat(send(HttpMethod.GET, "/api/services", cookie(good)).statusCode()).as("the genuine one").isEqualTo(200);
    assertThat(new SessionCookie(key, Clock.systemUTC()).issue("alice", hash)).as("the hash read back is alice's")
        .satisfies(c -> assertThat(send(HttpMethod.GET, "/api/services", cookie(c)).statusCode()).isEqualTo(200));
    for (String bad : List.of(expired, foreignKey, tampered, otherUser, "garbage", good + "x", "")) {
      var response = send(HttpMethod.GET, "/api/services", cookie(bad));
      assertThat(response.statusCode()).as(bad).isEqualTo(401);
      assertThat(response.getHeader("WWW-Authenticate")).as("no dialog for a browser with a stale cookie").isNull();
      assertThatThrownBy(() -> ws(app, cookie(bad)).close()).as(bad)
          .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(401));
    }
  }

  @Test
  @DisplayName("A cookie-authenticated POST needs this server's Origin; Basic and Bearer clients need none")
  void cookiePostsNeedSameOrigin() {
    String value = loginCookie(app, "alice", ALICE_PASSWORD);
    assertThat(send(HttpMethod.POST, "/api/services/mine/restart", cookie(value)).statusCode()).as("no Origin").isEqualTo(403);
    assertThat(send(HttpMethod.POST, "/api/services/mine/restart", cookie(value).add("Origin", "http://evil.example"))
        .statusCode()).as("foreign Origin").isEqualTo(403);
    var same = send(HttpMethod.POST, "/api/services/mine/restart", cookie(value).add("Origin", origin()));
    assertThat(same.statusCode()).as(same.bodyAsString()).isEqualTo(200);
    assertThat(send(HttpMethod.POST, "/api/services/mine/restart", alice()).statusCode()).as("Basic, no Origin").isEqualTo(200);
    assertThat(send(app, HttpMethod.POST, "/api/login", none().add("Origin", "http://evil.example"),
        new JsonObject().put("user", "alice").put("password", ALICE_PASSWORD)).statusCode()).as("login from a foreign page")
        .isEqualTo(403);
  }

  @Test
  @DisplayName("A /ws feed opened with a session closes with 1008 when that session expires")
  void feedClosesAtSessionExpiry() throws Exception {
    byte[] key = Files.readAllBytes(config.auth().secretFile());
    String hash = Files.readString(config.auth().usersFile()).lines()
        .dropWhile(l -> !l.startsWith("  alice:")).skip(1).findFirst().orElseThrow()
        .replaceAll(".*password: \"(.*)\"", "$1");
    // Issued 12 h minus 2 s ago: it has two seconds left.
    Clock almostExpired = Clock.fixed(Instant.now().minus(SessionCookie.LIFETIME).plusSeconds(2), ZoneOffset.UTC);
    String value = new SessionCookie(key, almostExpired).issue("alice", hash);
    try (WsClient ws = ws(app, cookie(value).add("Origin", origin()))) {
      ws.awaitType("snapshot", WAIT);
      assertThat(ws.awaitClose(WAIT)).isEqualTo((short) 1008);
    }
  }

  @Test
  @DisplayName("On the event bus an action without an identity is refused as unauthorized, whatever user it names")
  void busActionNeedsIdentity() {
    JsonObject answer = vertx.eventBus().<JsonObject>request(io.servicemanager.Addresses.ACTION,
        new JsonObject().put("service", "mine").put("action", "restart").put("user", "tester")).await().body();
    assertThat(answer.getString("code")).isEqualTo("unauthorized");
    JsonObject forged = vertx.eventBus().<JsonObject>request(io.servicemanager.Addresses.ACTION,
        new JsonObject().put("service", "mine").put("action", "restart")
            .put("identity", new JsonObject().put("name", "x").put("role", "root"))).await().body();
    assertThat(forged.getString("code")).isEqualTo("unauthorized");
  }

  @Test
  @DisplayName("The session key file is created with mode 0600")
  void secretFileMode() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.auth().secretFile()))).isEqualTo("rw-------");
    assertThat(Files.size(config.auth().secretFile())).isEqualTo(32);
  }

  /** Another loopback address, so one test has two clients the server tells apart. */
  static final String STRANGER = "127.0.0.2";

  static HttpResponse<Buffer> from(WebClient client, Application on, HttpMethod method, String uri, MultiMap headers,
      JsonObject body) {
    var request = client.request(method, on.httpPort(), "127.0.0.1", uri).putHeaders(headers);
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  // ---- deployments of their own ----------------------------------------------------------------

  /** Each on a Vert.x of its own: two servers on one event bus would share their verticles' work. */
  @Nested
  @DisplayName("With a fresh server")
  class Fresh {
    Vertx own = Vertx.vertx();

    @org.junit.jupiter.api.AfterEach
    void closeOwn() {
      own.close().await();
    }

    @Test
    @DisplayName("Wrong passwords are 401, and after 5 in a row 429 with Retry-After, even for the right password; each failure is counted")
    void throttled() {
      AppConfig own = TestConfigs.forBus(systemd.busAddress());
      writeUsers(own.auth().usersFile());
      Application server = deploy(this.own, own);
      JsonObject wrong = new JsonObject().put("user", "alice").put("password", "guess");
      for (int i = 0; i < 5; i++) {
        var response = send(server, HttpMethod.POST, "/api/login", none(), wrong);
        assertThat(response.statusCode()).as("attempt %d", i + 1).isEqualTo(401);
        assertThat(response.getHeader("Set-Cookie")).isNull();
      }
      assertThat(server.failedLogins()).isEqualTo(5);
      for (MultiMap headers : List.of(none(), alice())) {
        var response = headers.isEmpty()
            ? send(server, HttpMethod.POST, "/api/login", none(), wrong.copy().put("password", ALICE_PASSWORD))
            : send(server, HttpMethod.GET, "/api/services", headers, null);
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("too_many_requests");
        assertThat(Long.parseLong(response.getHeader("Retry-After"))).isBetween(1L, 300L);
      }
      assertThat(server.failedLogins()).as("refused attempts are not even checked").isEqualTo(5);
    }

    @Test
    @DisplayName("A flood of wrong and throttled logins writes a bounded number of WARN lines (the meter counts them all) and no ERROR")
    void loginFloodDoesNotFloodTheLog() {
      AppConfig own = TestConfigs.forBus(systemd.busAddress());
      writeUsers(own.auth().usersFile());
      Application server = deploy(this.own, own);
      JsonObject wrong = new JsonObject().put("user", "alice\nforged line").put("password", "guess");
      try (LogCapture log = LogCapture.start()) {
        for (int i = 0; i < 100; i++) {
          assertThat(send(server, HttpMethod.POST, "/api/login", none(), wrong).statusCode()).isIn(401, 429);
        }
        assertThat(server.failedLogins()).as("every checked failure is counted").isEqualTo(LoginThrottle.MAX_FAILURES);
        List<String> lines = log.at("WARN").stream().filter(l -> l.contains("login")).toList();
        // One budget of ten lines a minute for refused credentials, plus at most the line counting the rest.
        assertThat(lines).as("WARN lines for 100 refused logins").hasSizeLessThanOrEqualTo(11);
        assertThat(lines).as("a user name cannot forge a log line").noneMatch(l -> l.startsWith("forged line"));
        assertThat(log.lines()).as("a client's mistake is no ERROR").noneMatch(l -> l.contains("[ERROR]"));
      }
    }

    @Test
    @DisplayName("Side by side: a stranger's wrong passwords for alice close only the stranger's address — the stranger gets 429 even for the right password, "
        + "alice logs in from her own address, and a session opened at the stranger's address stays open")
    void strangerCannotLockTheOwnerOut() {
      AppConfig own = TestConfigs.forBus(systemd.busAddress());
      writeUsers(own.auth().usersFile());
      Application server = deploy(this.own, own);
      WebClient stranger = WebClient.create(this.own, new WebClientOptions().setLocalAddress(STRANGER));
      String sessionAtStrangers = from(stranger, server, HttpMethod.POST, "/api/login", none(),
          new JsonObject().put("user", "victor").put("password", VICTOR_PASSWORD)).getHeader("Set-Cookie");
      String victorCookie = sessionAtStrangers.substring(sessionAtStrangers.indexOf('=') + 1, sessionAtStrangers.indexOf(';'));

      JsonObject guess = new JsonObject().put("user", "alice").put("password", "guess");
      for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
        assertThat(from(stranger, server, HttpMethod.POST, "/api/login", none(), guess).statusCode()).as("guess %d", i + 1).isEqualTo(401);
      }
      var strangersRight = from(stranger, server, HttpMethod.POST, "/api/login", none(), guess.copy().put("password", ALICE_PASSWORD));
      assertThat(strangersRight.statusCode()).as("the stranger's view: not even checked").isEqualTo(429);
      assertThat(strangersRight.bodyAsJsonObject().getString("error")).isEqualTo("too_many_requests");
      assertThat(Long.parseLong(strangersRight.getHeader("Retry-After"))).isBetween(1L, LoginThrottle.FIRST_DELAY.toSeconds());
      assertThat(from(stranger, server, HttpMethod.GET, "/api/session", alice(), null).statusCode()).isEqualTo(429);

      var owners = send(server, HttpMethod.POST, "/api/login", none(), guess.copy().put("password", ALICE_PASSWORD));
      assertThat(owners.statusCode()).as("alice's view, from her own address: " + owners.bodyAsString()).isEqualTo(200);
      assertThat(send(server, HttpMethod.GET, "/api/services", alice(), null).statusCode()).isEqualTo(200);

      // Enough other names that the stranger's address is closed for every name.
      for (int i = LoginThrottle.MAX_FAILURES; i < LoginThrottle.MAX_ADDRESS_FAILURES; i++) {
        var other = from(stranger, server, HttpMethod.POST, "/api/login", none(), guess.copy().put("user", "nobody" + i));
        assertThat(other.statusCode()).as("guess %d", i + 1).isEqualTo(401);
      }
      assertThat(from(stranger, server, HttpMethod.POST, "/api/login", none(),
          new JsonObject().put("user", "victor").put("password", VICTOR_PASSWORD)).statusCode()).isEqualTo(429);
      var withSession = from(stranger, server, HttpMethod.GET, "/api/session", cookie(victorCookie), null);
      assertThat(withSession.statusCode()).as("a valid session at the closed address is never throttled").isEqualTo(200);
      assertThat(withSession.bodyAsJsonObject().getString("method")).isEqualTo("cookie");
      assertThat(from(stranger, server, HttpMethod.GET, "/api/services", cookie(victorCookie), null).statusCode()).isEqualTo(200);
      assertThat(server.failedLogins()).isEqualTo(LoginThrottle.MAX_ADDRESS_FAILURES);
    }

    @Test
    @DisplayName("Under anonymous: viewer a client without credentials reads everything and changes nothing; wrong credentials are still 401")
    void anonymousViewer() {
      AppConfig base = TestConfigs.forBus(systemd.busAddress());
      writeUsers(base.auth().usersFile());
      AppConfig own = base.with(b -> b.auth = new AppConfig.Auth(base.auth().usersFile(), base.auth().secretFile(), true));
      Application server = deploy(this.own, own);
      var list = send(server, HttpMethod.GET, "/api/services", none(), null);
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(names(list.bodyAsJsonObject().getJsonArray("services"))).containsExactly("mine", "theirs", "sleepy");
      assertThat(list.bodyAsJsonObject().getJsonArray("services"))
          .allSatisfy(v -> assertThat(((JsonObject) v).getJsonArray("allowed_actions")).isEmpty());
      assertThat(send(server, HttpMethod.POST, "/api/services/mine/restart", none(), null).statusCode()).isEqualTo(403);
      assertThat(send(server, HttpMethod.GET, "/api/session", none(), null).bodyAsJsonObject().getString("user"))
          .isEqualTo("anonymous");
      try (WsClient ws = ws(server, none())) {
        assertThat(ws.awaitType("snapshot", WAIT).getJsonArray("services")).hasSize(3);
        ws.send(new JsonObject().put("type", "action").put("id", "x").put("service", "mine").put("action", "restart"));
        assertThat(ws.awaitType("result", WAIT).getString("code")).isEqualTo("forbidden");
      }
      assertThat(send(server, HttpMethod.GET, "/api/services", auth(TestConfigs.basic("alice", "wrong")), null).statusCode())
          .isEqualTo(401);
    }
  }
}
