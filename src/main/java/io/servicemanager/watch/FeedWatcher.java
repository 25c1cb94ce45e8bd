package io.servicemanager.watch;

import io.servicemanager.Backoff;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Follows a server's /ws feed (DESIGN §5) and hands every frame on as one line of JSON, the
 * snapshot included, so that after each (re)connection the reader holds the whole state again.
 * Connection state goes to a separate log. A lost or refused connection is retried with capped
 * back-off (0.5 s … 10 s) for as long as the watcher runs; only an upgrade the server refuses with
 * a 4xx status (wrong path, missing or bad token) ends it, since retrying cannot help there.
 *
 * <p>Everything runs on one Vert.x context, so no state is shared between threads.
 */
public final class FeedWatcher {
  static final long FIRST_RETRY_MS = 500;
  static final long MAX_RETRY_MS = 10_000;
  /**
   * A ping every PING_MS, which a live server answers with a pong; a connection from which nothing
   * was read for READ_IDLE_SECONDS is dead (a server gone without closing it, a network cut) and is
   * replaced. Reads only: our own pings must not count as life.
   */
  static final long PING_MS = 4_000;
  static final int READ_IDLE_SECONDS = 10;

  private final WatchTarget target;
  private final String token;
  private final Consumer<String> lines;
  private final Consumer<String> log;
  private final WebSocketClient client;
  private final Context context;
  private final Backoff backoff = new Backoff(FIRST_RETRY_MS, MAX_RETRY_MS);
  private final Promise<Integer> ended = Promise.promise();
  private ClientWebSocket current;
  private long pingTimer = -1;
  private long retryTimer = -1;
  private boolean stopped;

  /**
   * @param token sent as {@code Authorization: Bearer <token>} on the upgrade, or null
   * @param lines receives each frame as one line of compact JSON
   * @param log receives connection state, one message at a time
   */
  public FeedWatcher(Vertx vertx, WatchTarget target, String token, Consumer<String> lines, Consumer<String> log) {
    this.target = target;
    this.token = token;
    this.lines = lines;
    this.log = log;
    // The snapshot of a large configuration can exceed Vert.x's 256 KiB default message size.
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(1024 * 1024).setMaxMessageSize(64 * 1024 * 1024).setReadIdleTimeout(READ_IDLE_SECONDS)
        .setConnectTimeout(10_000));
    this.context = vertx.getOrCreateContext();
  }

  /** Starts watching; the future completes with an exit status only when watching cannot go on. */
  public Future<Integer> start() {
    context.runOnContext(v -> connect());
    return ended.future();
  }

  /** Closes the connection (status 1000) and stops reconnecting. */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      stopped = true;
      context.owner().cancelTimer(retryTimer);
      context.owner().cancelTimer(pingTimer);
      Future<Void> closing = current == null ? Future.succeededFuture() : current.close((short) 1000, "watch stopped");
      closing.eventually(() -> client.close()).onComplete(ar -> done.complete());
    });
    return done.future();
  }

  private void connect() {
    if (stopped) {
      return;
    }
    var options = target.connectOptions();
    if (token != null) {
      options.addHeader("Authorization", "Bearer " + token);
    }
    ClientWebSocket ws = client.webSocket();
    // Handlers go on before connecting: the server sends its snapshot at once.
    ws.textMessageHandler(this::frame);
    ws.closeHandler(v -> lost(ws));
    ws.connect(options).onComplete(ar -> {
      if (ar.succeeded()) {
        connected(ws);
      } else {
        refused(ar.cause());
      }
    });
  }

  private void connected(ClientWebSocket ws) {
    if (stopped) {
      ws.close();
      return;
    }
    if (ws.isClosed()) {
      // Closed before this ran: its close handler found it not yet current and did nothing.
      retry("connection to " + target + " closed at once");
      return;
    }
    current = ws;
    backoff.reset();
    log.accept("connected to " + target);
    pingTimer = context.owner().setPeriodic(PING_MS, id -> ws.writePing(Buffer.buffer()));
  }

  private void frame(String text) {
    try {
      // Re-encoded compactly: the same object, guaranteed on one line.
      lines.accept(new JsonObject(text).encode());
    } catch (DecodeException | ClassCastException e) {
      log.accept("ignored a frame that is not a JSON object: " + abbreviate(text));
    }
  }

  private void lost(ClientWebSocket ws) {
    if (ws != current) {
      return;
    }
    current = null;
    context.owner().cancelTimer(pingTimer);
    if (stopped) {
      return;
    }
    Short code = ws.closeStatusCode();
    retry("connection to " + target + " lost" + (code == null ? "" : " (close status " + code + ")"));
  }

  private void refused(Throwable cause) {
    if (stopped) {
      return;
    }
    if (cause instanceof UpgradeRejectedException rejected && rejected.getStatus() >= 400 && rejected.getStatus() < 500) {
      int status = rejected.getStatus();
      String hint = status == 401 || status == 403 ? " (check --token)" : status == 404 ? " (is that Service Manager's /ws?)" : "";
      log.accept("the server refused " + target + " with HTTP " + status + hint + "; giving up");
      ended.tryComplete(1);
      return;
    }
    retry("cannot connect to " + target + ": " + describe(cause));
  }

  private void retry(String what) {
    long delay = backoff.next();
    log.accept(what + "; reconnecting in " + String.format(Locale.ROOT, "%.1f", delay / 1000.0) + " s");
    retryTimer = context.owner().setTimer(delay, id -> connect());
  }

  private static String describe(Throwable cause) {
    if (cause instanceof UpgradeRejectedException rejected) {
      return "HTTP " + rejected.getStatus();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
