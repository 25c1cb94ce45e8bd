package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * The answers an OpenAPI document promises, checked against real ones: the status must be listed
 * for the operation, the Content-Type must be one it lists, and a JSON body must validate against
 * its schema (OpenAPI 3.1 schemas are JSON Schema 2020-12).
 */
final class DocumentedResponses {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private final JsonNode document;

  DocumentedResponses(String yaml) {
    try {
      this.document = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Asserts that {@code response} is what the document says {@code method template} answers.
   *
   * @param template the documented path, e.g. {@code /api/services/{name}}
   */
  void check(String method, String template, HttpResponse<Buffer> response) {
    String what = method + " " + template + " → " + response.statusCode() + " " + response.bodyAsString();
    JsonNode answer = documentedAnswer(method, template, response.statusCode());
    assertThat(answer.isMissingNode()).as("status documented for " + what).isFalse();
    String mediaType = mediaType(response.getHeader("Content-Type"));
    JsonNode content = answer.path("content");
    if (content.isMissingNode()) {
      assertThat(response.body() == null || response.body().length() == 0).as("no body documented for " + what).isTrue();
      return;
    }
    assertThat(content.has(mediaType)).as("Content-Type " + mediaType + " documented for " + what).isTrue();
    if (mediaType.equals("application/json")) {
      assertThat(errors(content.get(mediaType).path("schema"), response.bodyAsString()))
          .as("body of " + what + " against its documented schema").isEmpty();
    }
  }

  /** Validation errors of {@code json} against the document's schema {@code name} (components/schemas). */
  List<String> errorsAgainst(String name, String json) {
    JsonNode ref = JSON.createObjectNode().put("$ref", "#/components/schemas/" + name);
    return errors(ref, json);
  }

  private JsonNode documentedAnswer(String method, String template, int status) {
    JsonNode answer = document.path("paths").path(template).path(method.toLowerCase(Locale.ROOT))
        .path("responses").path(String.valueOf(status));
    // A shared answer (components/responses) is a JSON pointer into the document.
    return answer.has("$ref") ? document.at(answer.get("$ref").asText().substring(1)) : answer;
  }

  /** The schema with the document's components beside it, so its "#/components/…" references resolve. */
  private List<String> errors(JsonNode schema, String json) {
    ObjectNode standalone = schema.deepCopy();
    standalone.set("components", document.get("components"));
    Schema compiled = SCHEMAS.getSchema(standalone.toString());
    try {
      return compiled.validate(JSON.readTree(json)).stream().map(Error::toString).toList();
    } catch (IOException e) {
      return List.of("not JSON: " + e.getMessage());
    }
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
  }
}
