package io.servicemanager;

import io.servicemanager.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;

/** For {@link NetTransportTest}: in a JVM of its own, builds the manager's Vert.x, says its transport and serves one request. */
public final class NetTransportProbe {
  private NetTransportProbe() {}

  public static void main(String[] args) {
    Vertx vertx = Metrics.vertx();
    System.out.println(NetTransport.configured().describe(vertx));
    HttpServer server = vertx.createHttpServer().requestHandler(r -> r.response().end("ok")).listen(0, "127.0.0.1").await();
    Buffer body = vertx.createHttpClient().request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
        .compose(req -> req.send()).compose(resp -> resp.body()).await();
    System.out.println("served: " + body);
    vertx.close().await();
  }
}
