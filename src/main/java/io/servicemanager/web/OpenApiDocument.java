package io.servicemanager.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/openapi.yaml}: the OpenAPI 3.1 description of the REST API, bundled in the jar.
 * Served without credentials: it describes the API and carries no data, and a client needs it
 * before it has any.
 */
final class OpenApiDocument {
  /** Class-path resource; OpenApiDocumentTest holds it to the router's routes. */
  static final String RESOURCE = "openapi.yaml";
  /** RFC 9512's media type for YAML. */
  static final String CONTENT_TYPE = "application/yaml; charset=utf-8";

  private final Buffer text;

  private OpenApiDocument(Buffer text) {
    this.text = text;
  }

  /** Reads the bundled document; blocking, so called off the event loop. */
  static OpenApiDocument load() {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return new OpenApiDocument(Buffer.buffer(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void serve(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE).end(text);
  }
}
