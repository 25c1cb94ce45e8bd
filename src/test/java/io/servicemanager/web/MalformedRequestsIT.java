package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.testing.LogCapture;
import io.servicemanager.testing.RawHttp;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Malformed requests, sent as raw bytes over a plain socket to every /api route with every method,
 * with and without credentials, on a real systemd: each is answered, with a 2xx the route documents
 * or a 4xx whose body is {@code {"error", "message"}} — never a 500, never silence — and none of
 * them logs at ERROR.
 */
class MalformedRequestsIT {
  private static final Duration ANSWER = Duration.ofSeconds(20);

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/sleeper.service");

  static Vertx vertx;
  static Application app;
  static String cookie;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    AppConfig config = TestConfigs.forBus(systemd.busAddress());
    app = Application.deploy(vertx, config, new ServiceCatalogue(List.of(
        // Restart only: "start" is refused before D-Bus, so the fuzz never queues real jobs.
        new ServiceDefinition("sleeper", "sleeper.service", "Sleeper", "sleeps", Permission.RESTART, true)))).await();
    var login = WebClient.create(vertx).post(app.httpPort(), "127.0.0.1", "/api/login")
        .sendJsonObject(new JsonObject().put("user", TestConfigs.OPERATOR).put("password", TestConfigs.PASSWORD)).await();
    assertThat(login.statusCode()).isEqualTo(200);
    cookie = login.cookies().get(0).split(";")[0];
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  /** A route of the API and whether its documented answer may be a 2xx. */
  record Route(String method, String path) {}

  static final List<Route> ROUTES = List.of(
      new Route("GET", "/api/health"), new Route("GET", "/api/openapi.yaml"), new Route("POST", "/api/login"),
      new Route("POST", "/api/logout"), new Route("GET", "/api/session"), new Route("GET", "/api/services"),
      new Route("GET", "/api/services/sleeper"), new Route("POST", "/api/services/sleeper/start"),
      new Route("GET", "/api/history"), new Route("GET", "/api/nowhere"));

  static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "FOO", "PROPFIND");

  static final List<String> BAD_QUERIES = List.of("?%", "?%=%", "?x=%zz", "?%zz=1", "?x=%e2%82", "?x=%C0%AF",
      "?limit=99999999999999999999", "?limit=-1", "?limit=abc", "?limit=1.5", "?limit=", "?limit=0x10",
      "?service=../x", "?service=%2e%2e%2fx", "?service=" + "a".repeat(300), "?" + "x=1&".repeat(500),
      "?service=a&service=b", "?limit=1&limit=2", "?=", "?&&&", "?x", "?%00=1", "?service=%00", "?service=%",
      "?service=sleeper&limit=5#frag", "?a[]=1&a[x]=2");

  static final List<String> BAD_PATHS = List.of("/api/%", "/api/%zz", "/api/services/%", "/api/services/%zz",
      "/api/services/%2e%2e", "/api/services/a%2fb/start", "/api/services/%00", "/api//services",
      "/api/services/" + "a".repeat(300), "/api/./services", "/api/../api/health", "/api/services/sleeper/%zz",
      "/api/services/sleeper/start/extra", "/api/history/", "/api/health%", "/api/services/%E2%82",
      "/api/services/sleeper/%2e%2e%2f%2e%2e%2fhealth", "/api/services/\u00e9");

  /** Content type and body pairs: every one is wrong somewhere on every route. */
  static final List<String[]> BODIES = List.of(
      new String[] {"application/x-www-form-urlencoded", "a=1&b=2"},
      new String[] {"application/x-www-form-urlencoded", "a=%zz&%=%"},
      new String[] {"application/x-www-form-urlencoded", "x=1&".repeat(1000)},
      new String[] {"multipart/form-data; boundary=XyZ", "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--\r\n"},
      new String[] {"multipart/form-data; boundary=XyZ", "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"../../x\"\r\n\r\nhi\r\n--XyZ--\r\n"},
      new String[] {"multipart/form-data; boundary=XyZ", "garbage without any boundary"},
      new String[] {"multipart/form-data", "no boundary in the type"},
      new String[] {"application/json", "{"},
      new String[] {"application/json", "[]"},
      new String[] {"application/json", "\"text\""},
      new String[] {"application/json", "{\"user\": 1, \"password\": [1]}"},
      new String[] {"application/json", "{\"user\": \"x\", \"password\": \"y\"}".repeat(3)},
      new String[] {"application/json; charset=bogus-charset", "{}"},
      new String[] {"application/xml", "<a/>"},
      new String[] {"text/plain", "hello"},
      new String[] {null, "a body without a content type"},
      new String[] {"application/json", "\u00ff\u00fe not utf-8"});

  /** The ways to (not) say who the caller is. */
  enum Caller { NOBODY, COOKIE, BAD_BASIC }

  static String request(String method, String target, Caller caller, String contentType, String body, String... extra) {
    StringBuilder r = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(app.httpPort()).append("\r\n")
        .append("Connection: close\r\n");
    switch (caller) {
      case COOKIE -> r.append("Cookie: ").append(cookie).append("\r\n")
          .append("Origin: http://127.0.0.1:").append(app.httpPort()).append("\r\n");
      case BAD_BASIC -> r.append("Authorization: Basic !!!not-base64\r\n");
      case NOBODY -> { }
    }
    for (String header : extra) {
      r.append(header).append("\r\n");
    }
    if (body != null) {
      if (contentType != null) {
        r.append("Content-Type: ").append(contentType).append("\r\n");
      }
      r.append("Content-Length: ").append(body.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n");
    }
    return r.append("\r\n").append(body == null ? "" : body).toString();
  }

  static List<String[]> cases() {
    List<String[]> cases = new ArrayList<>(); // {name, raw request}
    for (Caller caller : Caller.values()) {
      for (Route route : ROUTES) {
        for (String query : BAD_QUERIES) {
          cases.add(named(route.method() + " " + route.path() + query, request(route.method(), route.path() + query, caller, null, null)));
        }
        for (String method : METHODS) {
          cases.add(named(method + " " + route.path(), request(method, route.path(), caller, null, null)));
        }
        for (String[] body : BODIES) {
          for (String method : List.of(route.method(), "GET", "POST", "PUT", "DELETE")) {
            cases.add(named(method + " " + route.path() + " with " + body[0], request(method, route.path(), caller, body[0], body[1])));
            cases.add(named(method + " " + route.path() + "?%=% with " + body[0],
                request(method, route.path() + "?%=%", caller, body[0], body[1])));
          }
        }
        cases.add(named("over the body limit " + route, request(route.method(), route.path(), caller,
            "application/json", "{\"a\":\"" + "x".repeat(17 * 1024) + "\"}")));
        cases.add(named("overlong header " + route,
            request(route.method(), route.path(), caller, null, null, "X-Long: " + "y".repeat(20 * 1024))));
        cases.add(named("overlong URI " + route, request(route.method(), route.path() + "?q=" + "z".repeat(10 * 1024), caller, null, null)));
      }
      for (String path : BAD_PATHS) {
        for (String method : List.of("GET", "POST", "DELETE")) {
          cases.add(named(method + " " + path, request(method, path, caller, null, null)));
          cases.add(named(method + " " + path + " with a form", request(method, path + "?%", caller,
              "application/x-www-form-urlencoded", "a=1")));
        }
      }
    }
    String host = "Host: 127.0.0.1\r\n";
    cases.add(named("no request target", "GET\r\n\r\n"));
    cases.add(named("unknown HTTP version", "GET /api/health HTTP/9.9\r\n" + host + "\r\n"));
    cases.add(named("header without a colon", "GET /api/health HTTP/1.1\r\n" + host + "Broken header\r\n\r\n"));
    cases.add(named("non-numeric Content-Length", "POST /api/login HTTP/1.1\r\n" + host + "Content-Length: abc\r\n\r\n{}"));
    cases.add(named("negative Content-Length", "POST /api/login HTTP/1.1\r\n" + host + "Content-Length: -5\r\n\r\n{}"));
    cases.add(named("two Content-Lengths", "POST /api/login HTTP/1.1\r\n" + host + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"));
    cases.add(named("bad chunk size", "POST /api/login HTTP/1.1\r\n" + host
        + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"));
    cases.add(named("chunked and Content-Length", "POST /api/login HTTP/1.1\r\n" + host
        + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\nContent-Type: application/json\r\n\r\n2\r\n{}\r\n0\r\n\r\n"));
    cases.add(named("absolute-form target", "GET http://elsewhere.example/api/health HTTP/1.1\r\n" + host + "\r\n"));
    cases.add(named("asterisk target", "OPTIONS * HTTP/1.1\r\n" + host + "\r\n"));
    cases.add(named("relative target", "GET api/health HTTP/1.1\r\n" + host + "\r\n"));
    cases.add(named("CONNECT", "CONNECT 127.0.0.1:22 HTTP/1.1\r\n" + host + "\r\n"));
    cases.add(named("control bytes in the target", "GET /api/services/\u0001\u0002 HTTP/1.1\r\n" + host + "\r\n"));
    cases.add(named("many headers", "GET /api/health HTTP/1.1\r\n" + host + "X-A: 1\r\n".repeat(2000) + "\r\n"));
    cases.add(named("no Host", "GET /api/health HTTP/1.1\r\n\r\n"));
    cases.add(named("HTTP/1.0", "GET /api/history?%=% HTTP/1.0\r\n\r\n"));
    cases.add(named("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    cases.add(named("WebSocket upgrade to an API route", "GET /api/services HTTP/1.1\r\n" + host
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
    cases.add(named("Expect: 100-continue with a form on GET", "GET /api/history?x=%zz HTTP/1.1\r\n" + host
        + "Expect: 100-continue\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=1"));
    return cases;
  }

  static String[] named(String name, String raw) {
    return new String[] {name.length() > 120 ? name.substring(0, 120) + "…" : name, raw};
  }

  /**
   * What is wrong with the answer, or null when it is one a client may get. The one request that
   * may go unanswered is one whose body framing is broken (a bad chunk size): Vert.x closes such a
   * connection at once, as it must (where the next request would start is unknowable); it is closed,
   * not left open. And a request line in a protocol other than HTTP/1.0 or 1.1 is answered 501 with
   * no body by Vert.x itself, before any handler of ours: that client does not speak our protocol.
   */
  static String judge(String raw, RawHttp.Answer answer) {
    if (!answer.answered() && raw.contains("\r\n\r\nzz\r\n") && answer.body().equals("closed without an answer")) {
      return null;
    }
    String line = raw.substring(0, Math.max(0, raw.indexOf("\r\n")));
    if (answer.status() == 501 && !line.endsWith(" HTTP/1.1") && !line.endsWith(" HTTP/1.0")) {
      return null;
    }
    if (!answer.answered()) {
      return "no answer (" + answer.body() + ")";
    }
    int status = answer.status();
    if (status >= 200 && status < 300) {
      return null;
    }
    if (status < 400 || status >= 500) {
      return "status " + status;
    }
    String type = answer.headers().getOrDefault("content-type", "");
    if (!type.startsWith("application/json")) {
      return "status " + status + " with content type '" + type + "'";
    }
    if (raw.startsWith("HEAD ")) {
      return null;
    }
    try {
      JsonObject body = new JsonObject(answer.body());
      if (!(body.getValue("error") instanceof String) || !(body.getValue("message") instanceof String)) {
        return "status " + status + " with body " + answer.body();
      }
    } catch (RuntimeException e) {
      return "status " + status + " with body '" + answer.body() + "'";
    }
    return null;
  }

  @Test
  @DisplayName("Every malformed request to every /api route is answered 2xx or 4xx {error, message}, never 500 or nothing, and logs no ERROR")
  void everyMalformedRequestGetsAClientError() {
    List<String[]> cases = cases();
    List<String> wrong = new ArrayList<>();
    List<String> errors;
    List<String> warnings;
    long start = System.nanoTime();
    try (LogCapture log = LogCapture.start()) {
      for (String[] c : cases) {
        RawHttp.Answer answer = RawHttp.exchange(app.httpPort(), c[1].getBytes(StandardCharsets.ISO_8859_1), ANSWER);
        String problem = judge(c[1], answer);
        if (problem != null) {
          wrong.add(c[0] + ": " + problem);
        }
      }
      errors = log.at("ERROR");
      warnings = log.at("WARN").stream().filter(line -> line.contains("ClientFaults")).toList();
    }
    long minutes = (System.nanoTime() - start) / 60_000_000_000L;
    assertThat(cases).as("the fuzz covers the whole class, not a handful").hasSizeGreaterThan(2000);
    assertThat(wrong).as("%d of %d requests answered wrongly", wrong.size(), cases.size()).isEmpty();
    assertThat(errors).as("a client's mistake is not our error").isEmpty();
    assertThat(warnings).as("logged, but rate-limited").isNotEmpty()
        .hasSizeLessThanOrEqualTo((int) (minutes + 2) * (ClientFaults.PER_INTERVAL + 1));
  }

  @Test
  @DisplayName("The four reported requests get a 4xx with a JSON error body (401 without credentials)")
  void theReportedRequests() {
    for (String query : List.of("?x=1", "?" + "x=1&".repeat(300), "?service=../x", "?limit=99999999999999999999")) {
      for (Caller caller : List.of(Caller.NOBODY, Caller.COOKIE)) {
        String raw = request("GET", "/api/history" + query, caller, "application/x-www-form-urlencoded", "a=1");
        RawHttp.Answer answer = RawHttp.exchange(app.httpPort(), raw, ANSWER);
        assertThat(judge(raw, answer)).as("%s %s", query, caller).isNull();
        assertThat(answer.status()).as("%s %s", query, caller).isBetween(400, 499);
        if (caller == Caller.NOBODY) {
          assertThat(answer.status()).as("%s %s", query, caller).isEqualTo(401);
        }
      }
    }
  }

  @Test
  @DisplayName("A form POST or PUT with a bad %-escape in the query is answered 400 bad_request, without credentials too")
  void badEscapeWithFormBody() {
    for (String target : List.of("/api/login?%=%", "/api/health?%", "/api/services?%=%", "/api/history?x=%zz")) {
      for (String method : List.of("POST", "PUT")) {
        String raw = request(method, target, Caller.NOBODY, "application/x-www-form-urlencoded", "a=1");
        RawHttp.Answer answer = RawHttp.exchange(app.httpPort(), raw, ANSWER);
        assertThat(answer.status()).as("%s %s: %s", method, target, answer.body()).isEqualTo(400);
        assertThat(new JsonObject(answer.body()).getString("error")).isEqualTo("bad_request");
      }
    }
  }

  @Test
  @DisplayName("A body over the limit is 413 payload_too_large with a JSON error body")
  void payloadTooLarge() {
    String raw = request("POST", "/api/login", Caller.NOBODY, "application/json", "{\"a\":\"" + "x".repeat(17 * 1024) + "\"}");
    RawHttp.Answer answer = RawHttp.exchange(app.httpPort(), raw, ANSWER);
    assertThat(answer.status()).isEqualTo(413);
    assertThat(new JsonObject(answer.body()).getString("error")).isEqualTo("payload_too_large");
    assertThat(new JsonObject(answer.body()).getString("message")).isNotBlank();
  }

  @Test
  @DisplayName("A known /api path with a method it does not take is 405 method_not_allowed with an Allow header")
  void wrongMethod() {
    for (String[] c : List.of(new String[] {"DELETE", "/api/services"}, new String[] {"PUT", "/api/login"},
        new String[] {"FOO", "/api/health"}, new String[] {"GET", "/api/services/sleeper/restart"})) {
      String raw = request(c[0], c[1], Caller.COOKIE, null, null);
      RawHttp.Answer answer = RawHttp.exchange(app.httpPort(), raw, ANSWER);
      assertThat(answer.status()).as("%s %s", c[0], c[1]).isEqualTo(405);
      assertThat(new JsonObject(answer.body()).getString("error")).isEqualTo("method_not_allowed");
      assertThat(answer.headers()).containsKey("allow");
    }
  }
}
