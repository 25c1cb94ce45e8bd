package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.servicemanager.auth.UserDirectory;
import io.servicemanager.insight.InsightStore;
import io.servicemanager.insight.OperationStore;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * openapi.yaml is the REST API's description, and stays true: every route of the router is in it,
 * and everything in it is a route. Routes are read from a deployed HttpVerticle, so a route added
 * without documentation (or documentation left behind by a removed route) fails here.
 *
 * <p>Which routes are operations follows from how they are registered, never from a list of names:
 * <ul>
 *   <li>a route with a path and methods ({@code router.get("/api/…")}) is one operation per method
 *       and must be documented as such ({@code :name} is OpenAPI's {@code {name}});
 *   <li>a route with an exact path but no method answers every method there: its path must be
 *       documented with some method;
 *   <li>a route with a path prefix and no method ({@code router.route("/api/*")}) runs for a whole
 *       subtree — the body limit, authentication, the /api 404, or a mounted sub-router such as a
 *       SockJS bridge: at least one documented path must lie under it, so a new subtree is never
 *       invisible. Documented paths under a mounted sub-router count as routed;
 *   <li>a route without a path sees every request (security headers, the dashboard's static
 *       files): it adds no API path and is left out;
 *   <li>a regular-expression route ({@code pathRegex}; {@code :name} routes keep their path) cannot
 *       be compared and fails the test until it is handled here.
 * </ul>
 */
class OpenApiDocumentTest {
  static Vertx vertx;
  static HttpVerticle http;
  static InsightStore store;
  static String document;

  @BeforeAll
  static void deploy() throws IOException {
    vertx = Vertx.vertx();
    store = InsightStore.open(vertx, Files.createTempDirectory("sm-openapi-").resolve("servicemanager.db")).await();
    http = new HttpVerticle(new OperationStore(store), UserDirectory.EMPTY, new byte[32], false,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    vertx.deployVerticle(http, new DeploymentOptions().setConfig(new JsonObject().put("http", new JsonObject().put("port", 0)))).await();
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(OpenApiDocument.RESOURCE)) {
      document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @AfterAll
  static void close() {
    if (store != null) {
      store.close().await();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  static OpenAPI parsed() {
    return new OpenAPIV3Parser().readContents(document, null, new ParseOptions()).getOpenAPI();
  }

  /** "GET /api/services/{name}" for every documented operation. */
  static Set<String> documented() {
    Set<String> ops = new TreeSet<>();
    parsed().getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
        .forEach(method -> ops.add(operation(method, path))));
    return ops;
  }

  static String operation(PathItem.HttpMethod method, String path) {
    return method.name() + " " + path;
  }

  static String operation(io.vertx.core.http.HttpMethod method, String vertxPath) {
    return method.name().toUpperCase(Locale.ROOT) + " " + vertxPath.replaceAll(":(\\w+)", "{$1}");
  }

  /** Vert.x answers null for a route that takes every method. */
  static Set<io.vertx.core.http.HttpMethod> methods(Route route) {
    return route.methods() == null ? Set.of() : route.methods();
  }

  static Set<String> documentedPaths() {
    return new TreeSet<>(parsed().getPaths().keySet());
  }

  @Test
  @DisplayName("The document is valid OpenAPI 3.1: the parser reports nothing")
  void validOpenApi31() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(document, null, options);
    assertThat(result.getMessages()).isEmpty();
    assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.1.");
    assertThat(result.getOpenAPI().getComponents().getSecuritySchemes())
        .containsOnlyKeys("basicAuth", "bearerAuth", "cookieAuth");
    assertThat(result.getOpenAPI().getComponents().getSecuritySchemes().get("cookieAuth").getName())
        .isEqualTo(io.servicemanager.auth.SessionCookie.NAME);
  }

  @Test
  @DisplayName("Every route of the router is documented, with its method")
  void everyRouteIsDocumented() {
    Set<String> ops = documented();
    Set<String> paths = documentedPaths();
    List<String> undocumented = new ArrayList<>();
    for (Route route : http.routes()) {
      String path = route.getPath();
      if (path == null && route.isRegexPath()) {
        undocumented.add("regex route " + route + ": cannot be compared, teach OpenApiDocumentTest");
      } else if (path == null) {
        continue; // sees every request: headers, static files
      } else if (!methods(route).isEmpty()) {
        methods(route).stream().map(m -> operation(m, path)).filter(op -> !ops.contains(op)).forEach(undocumented::add);
      } else if (route.isExactPath()) {
        if (!paths.contains(operation(io.vertx.core.http.HttpMethod.GET, path).substring(4))) {
          undocumented.add("* " + path);
        }
      } else if (paths.stream().noneMatch(p -> p.startsWith(path))) {
        undocumented.add("* " + path + "* (a subtree: document at least one path under it)");
      }
    }
    assertThat(undocumented).as("routes missing from openapi.yaml").isEmpty();
  }

  @Test
  @DisplayName("Everything documented is a route of the router, with that method")
  void everyDocumentedOperationIsARoute() {
    Set<String> routed = new TreeSet<>();
    List<String> mounts = new ArrayList<>();
    for (Route route : http.routes()) {
      if (route.getPath() == null) {
        continue; // pathless: nothing to match; a regex route already fails the other test
      }
      methods(route).forEach(m -> routed.add(operation(m, route.getPath())));
      if (route.getSubRouter() != null) {
        mounts.add(route.getPath());
      }
    }
    List<String> unrouted = documented().stream()
        .filter(op -> !routed.contains(op))
        .filter(op -> mounts.stream().noneMatch(prefix -> op.substring(op.indexOf(' ') + 1).startsWith(prefix)))
        .toList();
    assertThat(unrouted).as("operations in openapi.yaml that no route serves").isEmpty();
  }

  @Test
  @DisplayName("The document is served at /api/openapi.yaml as application/yaml, without credentials")
  void servedWithoutCredentials() {
    WebClient client = WebClient.create(vertx);
    var response = client.get(http.actualPort(), "127.0.0.1", "/api/openapi.yaml").send().await();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/yaml");
    assertThat(response.bodyAsString()).isEqualTo(document);
  }

  @Test
  @DisplayName("The other API routes still need credentials: the open document opens nothing else")
  void otherRoutesStillClosed() {
    WebClient client = WebClient.create(vertx);
    var response = client.get(http.actualPort(), "127.0.0.1", "/api/openapi.json").send().await();
    assertThat(response.statusCode()).isEqualTo(401);
  }
}
