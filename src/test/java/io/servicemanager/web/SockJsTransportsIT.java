package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.auth.PasswordHash;
import io.servicemanager.auth.Tokens;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.insight.OperationQuery;
import io.servicemanager.testing.NodeTools;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every SockJS transport that {@code /eventbus/info} lets a client choose, driven by the official
 * client ({@code @vertx/eventbus-bridge-client.js} over {@code sockjs-client}, run with node:
 * {@code src/test/node/eventbus-client.js}) against a real systemd: registered, it receives the
 * status change its own action caused, and the action's reply. Plus what every transport refuses.
 */
class SockJsTransportsIT {
  private static final Path CLIENT = NodeTools.DIR.resolve("eventbus-client.js");
  /** The client gives up after 90 s itself; this is only the last resort. */
  private static final long NODE_TIMEOUT_S = 150;
  private static final String ONESHOT =
      "[Unit]\nStartLimitIntervalSec=0\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n";
  private static final String ALICE_PASSWORD = "alice-password";
  private static final String VICTOR_PASSWORD = "victor-password";

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withUnit("mine.service", ONESHOT)
      .withUnit("theirs.service", ONESHOT);

  static Vertx vertx;
  static AppConfig config;
  static Application app;
  static WebClient http;
  static String botToken;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    botToken = Tokens.newToken();
    config = TestConfigs.forBus(systemd.busAddress());
    TestConfigs.writeUsers(config.auth().usersFile(),
        "  alice:", "    password: \"" + PasswordHash.hash(ALICE_PASSWORD.toCharArray()) + "\"",
        "    role: operator", "    services: [mine]",
        "  victor:", "    password: \"" + PasswordHash.hash(VICTOR_PASSWORD.toCharArray()) + "\"",
        "    role: viewer",
        "tokens:", "  bot:", "    sha256: \"" + Tokens.sha256Hex(botToken) + "\"", "    role: operator",
        "    services: [mine]");
    app = Application.deploy(vertx, config, new ServiceCatalogue(List.of(
        new ServiceDefinition("mine", "mine.service", "Mine", "alice's", Permission.ALL, true),
        new ServiceDefinition("theirs", "theirs.service", "Theirs", "not alice's", Permission.ALL, true))))
        .await();
    // SockJS closes the connection after each poll's answer: a kept-alive one could be reused just as it closes.
    http = WebClient.create(vertx, new WebClientOptions().setKeepAlive(false));
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  static String base() {
    return "http://127.0.0.1:" + app.httpPort();
  }

  /** The dashboard's session cookie for alice ({@code name=value}), as a browser holds it after logging in. */
  static String aliceCookie() {
    var login = http.post(app.httpPort(), "127.0.0.1", "/api/login")
        .sendJsonObject(new JsonObject().put("user", "alice").put("password", ALICE_PASSWORD)).await();
    assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
    String setCookie = login.getHeader("Set-Cookie");
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  /** The official client's lines, one JSON event each. */
  static List<JsonObject> runClient(String transport, String auth, String service, String action, String expected) {
    NodeTools.Result result = NodeTools.node(CLIENT, NODE_TIMEOUT_S, Map.of(), base(), transport, auth, service,
        action, expected);
    List<JsonObject> events = result.stdout().lines().filter(l -> l.startsWith("{")).map(JsonObject::new).toList();
    assertThat(events).as(result.describe()).isNotEmpty();
    return events;
  }

  static List<JsonObject> ofType(List<JsonObject> events, String type) {
    return events.stream().filter(e -> type.equals(e.getString("event"))).toList();
  }

  /** As the unrestricted test operator, over REST; answers once systemd's job is done. */
  static void act(String service, String action) {
    var response = TestConfigs.client(vertx)
        .request(HttpMethod.POST, app.httpPort(), "127.0.0.1", "/api/services/" + service + "/" + action).send().await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
  }

  /** The newest recorded operation (the insight database, shared by every application on this config). */
  static JsonObject lastHistoryLine() {
    return app.operations().query(OperationQuery.newest(1)).await().entries().get(0);
  }

  static HttpResponse<Buffer> send(HttpMethod method, String uri, String authorization, String body) {
    HttpRequest<Buffer> request = http.request(method, app.httpPort(), "127.0.0.1", uri);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return (body == null ? request.send() : request.sendBuffer(Buffer.buffer(body))).await();
  }

  // ---- the official client on every transport ---------------------------------------------------

  @ParameterizedTest(name = "{0}, credentials {1}")
  @CsvSource({
      "websocket, ws-basic",
      "xhr-streaming, browser-cookie",
      "xhr-polling, browser-cookie",
      "xhr-polling, xhr-bearer"})
  @DisplayName("The official client on each transport registers servicemanager.status, receives the real status change its action caused, and gets the action's reply, recorded under the authenticated name")
  void officialClientOnEveryTransport(String transport, String credentials) throws Exception {
    String auth = switch (credentials) {
      case "ws-basic" -> "ws-header:" + TestConfigs.basic("alice", ALICE_PASSWORD);
      case "browser-cookie" -> "browser:" + aliceCookie();
      case "xhr-bearer" -> "xhr-header:Bearer " + botToken;
      default -> throw new IllegalArgumentException(credentials);
    };
    act("mine", "start"); // so that stopping it is a change, whatever ran before
    List<JsonObject> events = runClient(transport, auth, "mine", "stop", "inactive");

    assertThat(ofType(events, "open")).as(events.toString()).singleElement()
        .satisfies(open -> assertThat(open.getString("transport")).isEqualTo(transport));
    assertThat(ofType(events, "done")).as(events.toString()).hasSize(1);
    assertThat(ofType(events, "snapshot")).singleElement()
        .satisfies(s -> assertThat(s.getJsonArray("services")).containsExactly("mine"));
    JsonObject reply = ofType(events, "reply").get(0).getJsonObject("body");
    assertThat(reply.getString("status")).as(reply.encode()).isEqualTo("success");
    assertThat(reply.getString("result")).isEqualTo("done");
    assertThat(ofType(events, "status")).as(events.toString())
        .anySatisfy(s -> {
          assertThat(s.getJsonObject("body").getString("name")).isEqualTo("mine");
          assertThat(s.getJsonObject("body").getString("status")).isEqualTo("inactive");
        })
        .allSatisfy(s -> assertThat(s.getJsonObject("body").getString("name")).isEqualTo("mine"));
    assertThat(systemd.activeState("mine.service")).isEqualTo("inactive");
    assertThat(lastHistoryLine().getString("user"))
        .isEqualTo("xhr-bearer".equals(credentials) ? "token:bot" : "alice");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"websocket", "xhr-streaming", "xhr-polling"})
  @DisplayName("The official client without credentials never opens a session on any transport, and nothing is acted on")
  void officialClientWithoutCredentials(String transport) {
    act("mine", "start");
    List<JsonObject> events = runClient(transport, "none", "mine", "stop", "inactive");
    assertThat(ofType(events, "open")).as(events.toString()).isEmpty();
    assertThat(ofType(events, "close")).as(events.toString()).hasSize(1);
    assertThat(systemd.activeState("mine.service")).isEqualTo("active");
  }

  // ---- what every transport refuses -------------------------------------------------------------

  @Test
  @DisplayName("/eventbus/info answers without credentials, carries no data, and names this server's own origin instead of *:*")
  void infoWithoutCredentials() {
    var info = send(HttpMethod.GET, "/eventbus/info", null, null);
    assertThat(info.statusCode()).as(info.bodyAsString()).isEqualTo(200);
    JsonObject body = info.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("websocket", "cookie_needed", "origins", "entropy");
    assertThat(body.getBoolean("websocket")).isTrue();
    assertThat(body.getBoolean("cookie_needed")).isFalse();
    assertThat(body.getJsonArray("origins")).isEqualTo(new JsonArray().add("127.0.0.1:" + app.httpPort()));
    assertThat(info.getHeader("Cache-Control")).contains("no-store");

    var foreign = http.get(app.httpPort(), "127.0.0.1", "/eventbus/info").putHeader("Origin", "http://evil.example")
        .send().await();
    assertThat(foreign.statusCode()).isEqualTo(403);
  }

  @Test
  @DisplayName("Every data-carrying transport request without credentials is refused with 401, and the transports not offered answer 404 even with them")
  void dataTransportsNeedCredentials() {
    for (String transport : List.of("xhr", "xhr_streaming", "xhr_send")) {
      var refused = send(HttpMethod.POST, "/eventbus/000/nocreds1/" + transport, null, "[\"x\"]");
      assertThat(refused.statusCode()).as(transport).isEqualTo(401);
    }
    assertThat(send(HttpMethod.GET, "/eventbus/000/nocreds1/websocket", null, null).statusCode()).isEqualTo(401);
    assertThat(send(HttpMethod.GET, "/eventbus/websocket", null, null).statusCode()).isEqualTo(401);
    String operator = TestConfigs.operatorBasic();
    for (String transport : List.of("eventsource", "htmlfile?c=cb", "jsonp?c=cb")) {
      assertThat(send(HttpMethod.GET, "/eventbus/000/offered1/" + transport, operator, null).statusCode())
          .as(transport).isEqualTo(404);
    }
    assertThat(send(HttpMethod.POST, "/eventbus/000/offered1/jsonp_send", operator, "d=[\"x\"]").statusCode())
        .isEqualTo(404);
  }

  @Test
  @DisplayName("An XHR session belongs to the identity that opened it: another identity's frames into it are refused with 403, its owner's taken")
  void sessionBelongsToItsOpener() {
    String alice = TestConfigs.basic("alice", ALICE_PASSWORD);
    String victor = TestConfigs.basic("victor", VICTOR_PASSWORD);
    var opened = send(HttpMethod.POST, "/eventbus/000/owned123/xhr", alice, null);
    assertThat(opened.statusCode()).isEqualTo(200);
    assertThat(opened.bodyAsString()).isEqualTo("o\n");

    String frame = "[\"{\\\"type\\\":\\\"ping\\\"}\"]";
    var intruder = send(HttpMethod.POST, "/eventbus/000/owned123/xhr_send", victor, frame);
    assertThat(intruder.statusCode()).as(intruder.bodyAsString()).isEqualTo(403);
    var poll = send(HttpMethod.POST, "/eventbus/000/owned123/xhr", victor, null);
    assertThat(poll.statusCode()).as(poll.bodyAsString()).isEqualTo(403);
    var owner = send(HttpMethod.POST, "/eventbus/000/owned123/xhr_send", alice, frame);
    assertThat(owner.statusCode()).as(owner.bodyAsString()).isEqualTo(204);
  }

  @Test
  @DisplayName("A poll's and a stream's answers say Connection: close, since SockJS closes the connection after them: no client sends its next frames into a closing socket")
  void receivingAnswersCloseTheirConnection() {
    // A kept-alive client, as browsers and node are: asking for close would make every answer say it.
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
    try {
      for (String transport : List.of("xhr", "xhr_streaming")) {
        HttpClientResponse answer = client.request(new RequestOptions().setMethod(HttpMethod.POST)
                .setHost("127.0.0.1").setPort(app.httpPort()).setURI("/eventbus/000/closing-" + transport + "/" + transport)
                .putHeader("Authorization", TestConfigs.basic("alice", ALICE_PASSWORD)))
            .compose(HttpClientRequest::send).await();
        assertThat(answer.statusCode()).as(transport).isEqualTo(200);
        assertThat(answer.getHeader("Connection")).as(transport).isEqualToIgnoringCase("close");
      }
    } finally {
      client.close().await();
    }
  }

  @Test
  @DisplayName("xhr_send takes at most 64 KiB: a larger body is refused with 413 and the session is not fed")
  void xhrSendBodyLimit() {
    String alice = TestConfigs.basic("alice", ALICE_PASSWORD);
    assertThat(send(HttpMethod.POST, "/eventbus/000/limit123/xhr", alice, null).statusCode()).isEqualTo(200);
    String big = "[\"" + "x".repeat(70 * 1024) + "\"]";
    assertThat(send(HttpMethod.POST, "/eventbus/000/limit123/xhr_send", alice, big).statusCode()).isEqualTo(413);
  }
}
