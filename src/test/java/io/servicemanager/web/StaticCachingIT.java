package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.Decoder;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.decoder.DirectDecompress;
import io.servicemanager.Application;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard's files and the API over real HTTP, as a browser meets them: content-hashed names
 * cached for a year, index.html revalidated (ETag, 304), an old hashed name refused, and every
 * answer compressed with brotli or gzip as the request's Accept-Encoding asks.
 */
@DisplayName("Static files: hashed names, cache headers and compression")
class StaticCachingIT {
  private static final Pattern MODULE = Pattern.compile("(?:src|href)=\"([a-z-]+)\\.([0-9a-f]{10})\\.js\"");

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withUnit("web.service", "[Service]\nExecStart=/bin/sleep 400\n");

  static Vertx vertx;
  static Application app;
  static HttpClient http;
  static String base;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    app = Application.deploy(vertx, TestConfigs.forBus(systemd.busAddress()), new ServiceCatalogue(List.of(
        new ServiceDefinition("web", "web.service", "Web Frontend", "Serves the public site", Permission.ALL, true))))
        .await();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    base = "http://127.0.0.1:" + app.httpPort();
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  static List<String[]> modulesOf(String html) {
    List<String[]> modules = new ArrayList<>();
    Matcher m = MODULE.matcher(html);
    while (m.find()) {
      modules.add(new String[] {m.group(1), m.group(2)});
    }
    return modules;
  }

  @Test
  @DisplayName("index.html is revalidated (no-cache, ETag, a bodiless 304) and names every module by a hashed name, which is cached a year")
  void hashedNamesAndCacheHeaders() throws Exception {
    HttpResponse<byte[]> index = get("/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(header(index, "Cache-Control")).isEqualTo("no-cache");
    String etag = header(index, "ETag");
    assertThat(etag).isNotBlank();
    HttpResponse<byte[]> again = get("/", "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();

    String html = text(index);
    List<String[]> modules = modulesOf(html);
    assertThat(modules).extracting(m -> m[0]).contains("app", "cards", "connection");
    assertThat(html).doesNotContain("src=\"app.js\"", "href=\"style.css\"");
    for (String[] module : modules) {
      HttpResponse<byte[]> file = get("/" + module[0] + "." + module[1] + ".js");
      assertThat(file.statusCode()).as(module[0]).isEqualTo(200);
      assertThat(header(file, "Cache-Control")).as(module[0]).isEqualTo("public, max-age=31536000, immutable");
      assertThat(header(file, "Content-Type")).startsWith("text/javascript");
      // Its imports are rewritten too: the same bytes as the plain name, itself revalidated.
      HttpResponse<byte[]> plain = get("/" + module[0] + ".js");
      assertThat(header(plain, "Cache-Control")).isEqualTo("no-cache");
      assertThat(plain.body()).isEqualTo(file.body());
      assertThat(text(file)).doesNotContainPattern("from '\\./[a-z-]+\\.js'");
    }
    assertThat(text(get("/" + modules.get(0)[0] + "." + modules.get(0)[1] + ".js"))).isNotEmpty();

    String source = Files.readString(Path.of("webroot", "cards.js"));
    String[] cards = modules.stream().filter(m -> m[0].equals("cards")).findFirst().orElseThrow();
    assertThat(text(get("/cards." + cards[1] + ".js")).replaceAll("\\.[0-9a-f]{10}\\.js", ".js"))
        .as("the file's own content, only its imports renamed").isEqualTo(source);
  }

  @Test
  @DisplayName("A hashed name of another version is 404 no-store: old names never serve new content as immutable")
  void oldVersionsAreRefused() throws Exception {
    String[] app = modulesOf(text(get("/"))).stream().filter(m -> m[0].equals("app")).findFirst().orElseThrow();
    String other = app[1].equals("0000000000") ? "1111111111" : "0000000000";
    HttpResponse<byte[]> old = get("/app." + other + ".js");
    assertThat(old.statusCode()).isEqualTo(404);
    assertThat(header(old, "Cache-Control")).isEqualTo("no-store");
    HttpResponse<byte[]> wrongVersion = get("/app.js?v=" + other);
    assertThat(header(wrongVersion, "Cache-Control")).as("?v= of another version").isEqualTo("no-cache");
    HttpResponse<byte[]> rightVersion = get("/app.js?v=" + app[1]);
    assertThat(header(rightVersion, "Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
  }

  @Test
  @DisplayName("Accept-Encoding: br gets brotli, gzip gets gzip, neither gets the plain bytes — static files and API answers alike, with Vary: Accept-Encoding")
  void brotliAndGzip() throws Exception {
    String app = modulesOf(text(get("/"))).stream().filter(m -> m[0].equals("app")).map(m -> "/app." + m[1] + ".js")
        .findFirst().orElseThrow();
    String auth = TestConfigs.operatorBasic();
    for (String[] request : new String[][] {{"/"}, {app}, {"/api/services", "Authorization", auth}}) {
      String path = request[0];
      List<String> plainHeaders = new ArrayList<>(List.of(request).subList(1, request.length));
      HttpResponse<byte[]> plain = get(path, plainHeaders.toArray(String[]::new));
      assertThat(plain.statusCode()).as(path).isEqualTo(200);
      assertThat(header(plain, "Content-Encoding")).as(path).isNull();

      HttpResponse<byte[]> br = get(path, with(plainHeaders, "Accept-Encoding", "gzip, deflate, br"));
      assertThat(header(br, "Content-Encoding")).as(path).isEqualTo("br");
      assertThat(header(br, "Vary")).as(path).containsIgnoringCase("accept-encoding");
      assertThat(brotliDecode(br.body())).as(path).isEqualTo(plain.body());
      assertThat(br.body().length).as(path).isLessThan(plain.body().length);

      HttpResponse<byte[]> gzip = get(path, with(plainHeaders, "Accept-Encoding", "gzip"));
      assertThat(header(gzip, "Content-Encoding")).as(path).isEqualTo("gzip");
      assertThat(header(gzip, "Vary")).as(path).containsIgnoringCase("accept-encoding");
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip.body()))) {
        assertThat(in.readAllBytes()).as(path).isEqualTo(plain.body());
      }
    }
  }

  private static String[] with(List<String> headers, String name, String value) {
    List<String> all = new ArrayList<>(headers);
    all.add(name);
    all.add(value);
    return all.toArray(String[]::new);
  }

  private static byte[] brotliDecode(byte[] compressed) throws IOException {
    Brotli4jLoader.ensureAvailability();
    DirectDecompress result = Decoder.decompress(compressed);
    assertThat(result.getResultStatus()).isEqualTo(DecoderJNI.Status.DONE);
    return result.getDecompressedData();
  }
}
