package io.servicemanager.web;

import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /ws}, the upgrade to the push feed: origin first (a foreign page is refused whoever it
 * claims to be), then who; only then the upgrade, and the socket goes to the {@link WebSocketHub}
 * under the caller's identity and session end, with the snapshot encoding it asked for
 * ({@link SnapshotEncoding}; an unknown one is refused with 400 before anything else).
 */
record WebSocketRoute(Authenticator authenticator, AuthRoutes auth, WebSocketHub hub, boolean tls) {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketRoute.class);

  void upgrade(RoutingContext ctx) {
    if (!SameOrigin.admit(ctx, tls, "/ws upgrade", "cross-origin WebSocket refused")) {
      return;
    }
    String asked = ctx.request().getParam(SnapshotEncoding.PARAM);
    SnapshotEncoding encoding = SnapshotEncoding.of(asked);
    if (encoding == null) {
      HttpVerticle.fail(ctx, SnapshotEncoding.refusalCode(), SnapshotEncoding.refusal(asked));
      return;
    }
    ctx.request().pause();
    authenticator.authenticate(ctx.request())
        .onSuccess(caller -> ctx.request().toWebSocket()
            .onSuccess(ws -> hub.accept(ws, caller.identity(), caller.expiresEpochSeconds(), encoding))
            .onFailure(e -> LOG.debug("/ws upgrade refused: {}", e.getMessage())))
        .onFailure(e -> {
          ctx.request().resume();
          auth.refuse(ctx, e, false); // no Basic challenge: browsers do not answer one for WebSockets
        });
  }
}
