package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.testing.NodeTools;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** openapi.yaml passes Redocly's recommended lint (redocly.yaml) without a warning. */
class OpenApiLintTest {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path DOCUMENT = ROOT.resolve("src/main/resources/openapi.yaml");
  /** A rule name at the start of a line of .redocly.lint-ignore.yaml ({@code  operation-2xx-response:}). */
  private static final Pattern IGNORED_RULE = Pattern.compile("(?m)^  ([a-z0-9-]+):$");

  @Test
  @DisplayName("Redocly's recommended rules find no error and no warning in openapi.yaml")
  void redoclyLint() {
    NodeTools.Result lint = NodeTools.run(List.of(NodeTools.bin("redocly").toString(), "lint",
        "--config", ROOT.resolve("redocly.yaml").toString(), "--format=json", DOCUMENT.toString()), 120, Map.of());
    assertThat(lint.exitCode()).as(lint.describe()).isZero();
    JsonObject report = new JsonObject(lint.stdout());
    assertThat(report.getJsonObject("totals").getInteger("errors")).as(lint.stdout()).isZero();
    assertThat(report.getJsonObject("totals").getInteger("warnings")).as(lint.stdout()).isZero();
    assertThat(report.getJsonArray("problems")).as(lint.stdout()).isEmpty();
  }

  @Test
  @DisplayName("Every rule set aside in .redocly.lint-ignore.yaml is explained by a comment in openapi.yaml")
  void exceptionsExplained() throws IOException {
    String ignore = Files.readString(ROOT.resolve(".redocly.lint-ignore.yaml"));
    List<String> comments = Files.readAllLines(DOCUMENT).stream().filter(line -> line.strip().startsWith("#")).toList();
    Matcher rules = IGNORED_RULE.matcher(ignore);
    int count = 0;
    while (rules.find()) {
      String rule = rules.group(1);
      count++;
      assertThat(comments).as("a comment in openapi.yaml on why " + rule + " does not apply")
          .anySatisfy(comment -> assertThat(comment).contains(rule));
    }
    assertThat(count).as("rules in .redocly.lint-ignore.yaml").isPositive();
  }
}
