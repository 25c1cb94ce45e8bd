package io.servicemanager.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The dashboard's files (and the login form): no credentials, they carry no data.
 *
 * <p>Caching: every file is revalidated on each use ({@code no-cache} with {@code Last-Modified},
 * answered by a bodiless 304 while unchanged), so after an upgrade the modules never mix old and
 * new. A request naming a version ({@code ?v=…}) is for content that never changes under that
 * name: it may be kept a year without asking.
 */
final class StaticFiles {
  static final String REVALIDATE = "no-cache";
  static final String VERSIONED = "public, max-age=31536000, immutable";

  private StaticFiles() {}

  /** @param webroot a folder, else the copy in the jar */
  static Handler<RoutingContext> handler(String webroot) {
    StaticHandler files = StaticHandler.create(webroot).setIndexPage("index.html")
        .setCachingEnabled(true).setSendVaryHeader(true);
    return ctx -> {
      String path = ctx.normalizedPath();
      String policy = ctx.request().getParam("v") != null && !isPage(path) ? VERSIONED : REVALIDATE;
      ctx.addHeadersEndHandler(v -> {
        ctx.response().headers().set(HttpHeaders.CACHE_CONTROL, policy);
        // Vert.x knows no type for it; a browser installs the app only from this one.
        if (path.endsWith(".webmanifest") && ctx.response().getStatusCode() == 200) {
          ctx.response().headers().set(HttpHeaders.CONTENT_TYPE, "application/manifest+json");
        }
      });
      files.handle(ctx);
    };
  }

  private static boolean isPage(String path) {
    return path.endsWith("/") || path.endsWith(".html");
  }
}
