package io.servicemanager.web;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import java.util.concurrent.TimeUnit;

/**
 * After the upgrade, a /ws connection's idle timeout ({@code idle_timeout_seconds}) watches reads
 * only. The HTTP server's timeout watches reads and writes, so every write of a push to thousands of
 * sockets gets a listener on its outcome. A /ws peer is pinged more often than the timeout and a
 * live one answers, so silence on the read side alone marks a dead peer: same length, and a write
 * costs nothing. (Vert.x already drops the chunked-file writer at the upgrade.)
 */
final class UpgradedPipeline {
  private UpgradedPipeline() {}

  static void trim(ServerWebSocket ws) {
    if (!(ws instanceof WebSocketInternal internal)) {
      return;
    }
    ChannelPipeline pipeline = internal.channelHandlerContext().pipeline();
    IdleStateHandler both = pipeline.get(IdleStateHandler.class);
    if (both != null && both.getAllIdleTimeInMillis() > 0) {
      pipeline.replace(both, "idle", new IdleStateHandler(both.getAllIdleTimeInMillis(), 0, 0, TimeUnit.MILLISECONDS));
    }
  }
}
