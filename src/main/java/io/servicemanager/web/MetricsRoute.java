package io.servicemanager.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.servicemanager.ErrorCode;
import io.servicemanager.auth.Audience;
import io.servicemanager.auth.Identity;
import io.servicemanager.metrics.Exposition;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /metrics}, the Prometheus scrape: public, or for an identity its {@link Audience} lets see every meter. */
record MetricsRoute(Vertx vertx, Authenticator authenticator, AuthRoutes auth, PrometheusMeterRegistry metrics,
    boolean metricsPublic) {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsRoute.class);

  /**
   * Prometheus text format, or OpenMetrics when the scraper prefers it. Unless public, only for an identity that sees every service: the meters
   * name them all. The scrape reads every meter, so it runs off the event loop.
   */
  void scrape(RoutingContext ctx) {
    if (metricsPublic) {
      writeMetrics(ctx);
      return;
    }
    ctx.request().pause();
    authenticator.authenticate(ctx.request())
        .onSuccess(caller -> {
          ctx.request().resume();
          Identity who = caller.identity();
          if (Identity.ANONYMOUS.equals(who.name())) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"service-manager\"");
            HttpVerticle.fail(ctx, ErrorCode.UNAUTHORIZED, "scraping /metrics needs credentials (or metrics.public: true in config.yaml)");
          } else if (!Audience.of(who).metrics()) {
            HttpVerticle.fail(ctx, ErrorCode.FORBIDDEN, "the metrics name every service; " + who.name() + " may see only some");
          } else {
            writeMetrics(ctx);
          }
        })
        .onFailure(e -> {
          ctx.request().resume();
          ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"service-manager\"");
          auth.refuse(ctx, e, false);
        });
  }

  private void writeMetrics(RoutingContext ctx) {
    boolean openMetrics = Exposition.wantsOpenMetrics(ctx.parsedHeaders().accept());
    vertx.executeBlocking(() -> Exposition.scrape(metrics, openMetrics), false).onComplete(ar -> {
      if (ar.failed()) {
        LOG.error("scraping the metrics failed", ar.cause());
        HttpVerticle.fail(ctx, ErrorCode.INTERNAL_ERROR, "the metrics cannot be read");
        return;
      }
      ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, ar.result().contentType())
          .putHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT)
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          .end(ar.result().body());
    });
  }
}
