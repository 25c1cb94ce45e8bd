package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.servicemanager.metrics.Metrics;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.http.WebSocketInternal;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a /ws connection's pipeline holds after {@link UpgradedPipeline#trim}: nothing that works on every write. */
class UpgradedPipelineTest {

  @Test
  @DisplayName("After the upgrade the idle timeout watches reads only, with the configured length")
  void trimmed() throws Exception {
    Vertx vertx = Metrics.vertx();
    try {
      Promise<List<ChannelHandler>> seen = Promise.promise();
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setIdleTimeout(7))
          .requestHandler(req -> req.toWebSocket().onSuccess(ws -> {
            UpgradedPipeline.trim(ws);
            ChannelPipeline pipeline = ((WebSocketInternal) ws).channelHandlerContext().pipeline();
            seen.tryComplete(pipeline.names().stream().map(pipeline::get).filter(h -> h != null).toList());
          }).onFailure(seen::tryFail))
          .listen(0, "127.0.0.1").await();
      // Held: Vert.x closes a client that is no longer referenced.
      WebSocketClient client = vertx.createWebSocketClient();
      client.connect(new WebSocketConnectOptions()
          .setHost("127.0.0.1").setPort(server.actualPort()).setURI("/ws")).await();
      List<ChannelHandler> handlers = seen.future().await(30, TimeUnit.SECONDS);
      assertThat(handlers).filteredOn(h -> h instanceof IdleStateHandler).singleElement()
          .satisfies(h -> {
            IdleStateHandler idle = (IdleStateHandler) h;
            assertThat(idle.getReaderIdleTimeInMillis()).isEqualTo(7_000);
            assertThat(idle.getWriterIdleTimeInMillis()).isZero();
            assertThat(idle.getAllIdleTimeInMillis()).isZero();
          });
      client.close().await();
    } finally {
      vertx.close().await();
    }
  }
}
