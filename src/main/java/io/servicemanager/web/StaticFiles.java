package io.servicemanager.web;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The dashboard's files (and the login form) from {@link WebAssets}: no credentials, they carry no
 * data.
 *
 * <p>Caching: a file under its content-hashed name ({@code app.3f9a2b1c04.js}, what the pages
 * name) never changes under that name: it may be kept a year without asking. Everything else —
 * index.html, the manifest, a file under its plain name — is revalidated on each use
 * ({@code no-cache} with an ETag and Last-Modified, answered by a bodiless 304 while unchanged), so after an upgrade
 * a page never mixes old and new modules. A hashed name of a version this server no longer has
 * is 404 {@code no-store}: never new bytes under an old immutable name. {@code name.js?v=V} is
 * immutable too when V is the file's current version.
 */
final class StaticFiles {
  static final String REVALIDATE = "no-cache";
  static final String VERSIONED = "public, max-age=31536000, immutable";

  private StaticFiles() {}

  static Handler<RoutingContext> handler(WebAssets assets) {
    String lastModified = DateTimeFormatter.RFC_1123_DATE_TIME.format(assets.loaded().atZone(ZoneOffset.UTC));
    return ctx -> {
      HttpMethod method = ctx.request().method();
      if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
        ctx.next();
        return;
      }
      String path = ctx.normalizedPath();
      WebAssets.Asset asset = assets.find(path);
      HttpServerResponse response = ctx.response();
      if (asset == null) {
        if (assets.isStale(path)) {
          response.setStatusCode(404).putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
              .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain;charset=UTF-8")
              .end("This file belongs to an older version of the dashboard: reload the page.\n");
        } else {
          ctx.next();
        }
        return;
      }
      boolean immutable = asset.hashedName() || asset.version().equals(ctx.request().getParam("v"));
      response.putHeader(HttpHeaders.CACHE_CONTROL, immutable ? VERSIONED : REVALIDATE)
          .putHeader(HttpHeaders.ETAG, asset.etag())
          .putHeader(HttpHeaders.LAST_MODIFIED, lastModified);
      if (unchanged(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH),
          ctx.request().getHeader(HttpHeaders.IF_MODIFIED_SINCE), asset.etag(), assets.loaded())) {
        response.setStatusCode(304).end();
        return;
      }
      response.putHeader(HttpHeaders.CONTENT_TYPE, asset.contentType()).end(Buffer.buffer(asset.body()));
    };
  }

  /**
   * Whether the client's copy is current: by its ETag when it sends one, else by date (RFC 9110
   * §13.2.2: If-None-Match wins). The files were read at {@code loaded}; a copy from then or later
   * is theirs.
   */
  static boolean unchanged(String ifNoneMatch, String ifModifiedSince, String etag, Instant loaded) {
    if (ifNoneMatch != null) {
      return matches(ifNoneMatch, etag);
    }
    if (ifModifiedSince == null) {
      return false;
    }
    try {
      Instant since = ZonedDateTime.parse(ifModifiedSince, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return !since.isBefore(loaded);
    } catch (DateTimeParseException e) {
      return false; // not a date: answered in full
    }
  }

  /** If-None-Match: a list, each tag maybe weak (W/"…"), or * (RFC 9110 §13.1.2, weak comparison). */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.strip();
      if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
