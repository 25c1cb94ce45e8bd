package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The dashboard's files under content-hashed names")
class WebAssetsTest {
  private static Map<String, byte[]> files(String... nameThenText) {
    Map<String, byte[]> files = new HashMap<>();
    for (int i = 0; i < nameThenText.length; i += 2) {
      files.put(nameThenText[i], nameThenText[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return files;
  }

  private static final String[] SITE = {
      "index.html", """
          <link rel="icon" href="favicon.svg" type="image/svg+xml">
          <link rel="manifest" href="manifest.webmanifest">
          <link rel="stylesheet" href="style.css">
          <script type="module" src="app.js"></script>
          <link rel="modulepreload" href="cards.js">
          <a href="https://example.org/app.js">elsewhere</a> <a href="#/services/x">a route</a>
          """,
      "app.js", """
          import { card } from './cards.js';
          import './side-effect.js';
          const page = () => import('./page.js');
          const text = 'app.js is not a reference';
          """,
      "cards.js", "import { el } from './dom.js';\nexport const card = 1;\n",
      "dom.js", "export const el = 1;\n",
      "page.js", "import { el } from './dom.js';\nimport { card } from './cards.js';\n",
      "side-effect.js", "window.x = 1;\n",
      "style.css", "body { background: url(\"bg.svg\") }\n",
      "bg.svg", "<svg/>",
      "favicon.svg", "<svg/>",
      "icon-192.png", "png",
      "manifest.webmanifest", "{\"icons\": [{ \"src\": \"icon-192.png\", \"sizes\": \"192x192\" }]}",
  };

  private static String text(WebAssets assets, String path) {
    return new String(assets.find(path).body(), StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("index.html, the modules' imports (static, side-effect, dynamic), CSS url() and the manifest's icons name the hashed files")
  void rewritesReferences() {
    WebAssets assets = WebAssets.of(files(SITE));
    String app = assets.hashedName("app.js");
    String cards = assets.hashedName("cards.js");
    assertThat(app).matches("app\\.[0-9a-f]{10}\\.js");

    assertThat(text(assets, "/")).isEqualTo(text(assets, "/index.html"))
        .contains("src=\"" + app + "\"", "href=\"" + cards + "\"", "href=\"" + assets.hashedName("style.css") + "\"",
            "href=\"" + assets.hashedName("favicon.svg") + "\"")
        .contains("href=\"manifest.webmanifest\"", "href=\"https://example.org/app.js\"", "href=\"#/services/x\"");
    assertThat(text(assets, "/" + app))
        .contains("from './" + cards + "'", "import './" + assets.hashedName("side-effect.js") + "'",
            "import('./" + assets.hashedName("page.js") + "')", "'app.js is not a reference'");
    assertThat(text(assets, "/style.css")).contains("url(\"" + assets.hashedName("bg.svg") + "\")");
    assertThat(text(assets, "/manifest.webmanifest")).contains("\"src\": \"" + assets.hashedName("icon-192.png") + "\"");
    assertThat(text(assets, "/app.js")).as("the plain name serves the same bytes").isEqualTo(text(assets, "/" + app));
  }

  @Test
  @DisplayName("A hashed name is immutable; entry points keep their names; an unknown or old hashed name is not served")
  void names() {
    WebAssets assets = WebAssets.of(files(SITE));
    String app = assets.hashedName("app.js");
    assertThat(assets.find("/" + app).hashedName()).isTrue();
    assertThat(assets.find("/app.js").hashedName()).isFalse();
    assertThat(assets.find("/").hashedName()).isFalse();
    assertThat(assets.hashedName("index.html")).isNull();
    assertThat(assets.hashedName("manifest.webmanifest")).isNull();
    assertThat(assets.find("/app.0123456789.js")).isNull();
    assertThat(assets.isStale("/app.0123456789.js")).as("an older app.js").isTrue();
    assertThat(assets.isStale("/nothing.0123456789.js")).as("never ours").isFalse();
    assertThat(assets.isStale("/" + app)).isFalse();
    assertThat(assets.find("/../pom.xml")).isNull();
    assertThat(assets.find("/" + app).contentType()).isEqualTo("text/javascript;charset=UTF-8");
    assertThat(assets.find("/manifest.webmanifest").contentType()).isEqualTo("application/manifest+json");
    assertThat(assets.find("/icon-192.png").contentType()).isEqualTo("image/png");
  }

  @Test
  @DisplayName("Changing a module renames it and every file that reaches it, and only those; the same content gives the same names")
  void versionsFollowTheImportGraph() {
    WebAssets before = WebAssets.of(files(SITE));
    assertThat(WebAssets.of(files(SITE)).hashedName("app.js")).as("deterministic").isEqualTo(before.hashedName("app.js"));

    Map<String, byte[]> changed = files(SITE);
    changed.put("dom.js", "export const el = 2;\n".getBytes(StandardCharsets.UTF_8));
    WebAssets after = WebAssets.of(changed);
    for (String reaches : new String[] {"dom.js", "cards.js", "page.js", "app.js"}) {
      assertThat(after.hashedName(reaches)).as(reaches).isNotEqualTo(before.hashedName(reaches));
    }
    for (String apart : new String[] {"side-effect.js", "style.css", "favicon.svg", "icon-192.png"}) {
      assertThat(after.hashedName(apart)).as(apart).isEqualTo(before.hashedName(apart));
    }
    assertThat(after.find("/").etag()).as("index.html names a new app.js").isNotEqualTo(before.find("/").etag());
    assertThat(after.isStale("/" + before.hashedName("app.js"))).isTrue();
  }

  @Test
  @DisplayName("Modules that import each other still get versions, and a change in either renames both")
  void cycles() {
    String[] cycle = {"index.html", "<script type=\"module\" src=\"a.js\"></script>",
        "a.js", "import './b.js';\n", "b.js", "import './a.js';\n"};
    WebAssets before = WebAssets.of(files(cycle));
    assertThat(new String(before.find("/" + before.hashedName("a.js")).body(), StandardCharsets.UTF_8))
        .contains("import './" + before.hashedName("b.js") + "'");
    Map<String, byte[]> changed = files(cycle);
    changed.put("b.js", "import './a.js';\nwindow.b = 1;\n".getBytes(StandardCharsets.UTF_8));
    WebAssets after = WebAssets.of(changed);
    assertThat(after.hashedName("a.js")).isNotEqualTo(before.hashedName("a.js"));
    assertThat(after.hashedName("b.js")).isNotEqualTo(before.hashedName("b.js"));
  }

  @Test
  @DisplayName("Without If-None-Match, a copy dated at or after the files' reading is current; If-None-Match wins over the date")
  void ifModifiedSince() {
    java.time.Instant loaded = java.time.Instant.parse("2026-12-01T06:00:00Z");
    assertThat(StaticFiles.unchanged(null, "Tue, 01 Dec 2026 06:00:00 GMT", "\"a\"", loaded)).isTrue();
    assertThat(StaticFiles.unchanged(null, "Tue, 01 Dec 2026 05:59:59 GMT", "\"a\"", loaded)).isFalse();
    assertThat(StaticFiles.unchanged(null, "yesterday", "\"a\"", loaded)).isFalse();
    assertThat(StaticFiles.unchanged("\"b\"", "Tue, 01 Dec 2026 06:00:00 GMT", "\"a\"", loaded)).isFalse();
    assertThat(StaticFiles.unchanged(null, null, "\"a\"", loaded)).isFalse();
  }

  @Test
  @DisplayName("If-None-Match matches a list, weak tags and *")
  void ifNoneMatch() {
    assertThat(StaticFiles.matches("\"a\"", "\"a\"")).isTrue();
    assertThat(StaticFiles.matches("\"x\", W/\"a\"", "\"a\"")).isTrue();
    assertThat(StaticFiles.matches("*", "\"a\"")).isTrue();
    assertThat(StaticFiles.matches("\"b\"", "\"a\"")).isFalse();
    assertThat(StaticFiles.matches(null, "\"a\"")).isFalse();
  }
}
