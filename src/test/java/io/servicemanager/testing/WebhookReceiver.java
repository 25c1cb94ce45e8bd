package io.servicemanager.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A local HTTP server standing in for Discord, Slack or any webhook receiver: it records every
 * request, answers 200 unless told to fail a path's first requests, and lets tests wait for a body.
 */
public final class WebhookReceiver implements AutoCloseable {
  /** One request as received, and the status it was answered with. */
  public record Request(String path, String contentType, JsonObject body, int answered) {}

  private final HttpServer server;
  private final List<Request> all = new CopyOnWriteArrayList<>();
  private final Map<String, LinkedBlockingQueue<Request>> delivered = new ConcurrentHashMap<>();
  private final Map<String, List<Request>> unmatched = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
  private final Set<String> silent = ConcurrentHashMap.newKeySet();
  private final Signal received = new Signal();

  private WebhookReceiver(Vertx vertx) {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      String path = req.path();
      if (silent.contains(path)) {
        all.add(new Request(path, req.getHeader("Content-Type"), new JsonObject(body), 0));
        received.signal();
        return; // never answered: the sender's time limit has to end it
      }
      AtomicInteger left = failuresLeft.get(path);
      int status = left != null && left.getAndDecrement() > 0 ? 500 : 200;
      Request request = new Request(path, req.getHeader("Content-Type"), new JsonObject(body), status);
      all.add(request);
      received.signal();
      if (status == 200) {
        queue(path).add(request);
      }
      req.response().setStatusCode(status).end();
    }));
  }

  public static WebhookReceiver start(Vertx vertx) {
    WebhookReceiver receiver = new WebhookReceiver(vertx);
    receiver.server.listen(0, "127.0.0.1").await();
    return receiver;
  }

  /** The first {@code times} requests to {@code path} are answered 500. */
  public WebhookReceiver failFirst(String path, int times) {
    failuresLeft.put(path, new AtomicInteger(times));
    return this;
  }

  /** Requests to {@code path} are recorded (answered 0) and never answered. */
  public WebhookReceiver neverAnswer(String path) {
    silent.add(path);
    return this;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  /** The next body delivered (answered 200) to {@code path} that matches, waiting up to the timeout. */
  public JsonObject await(String path, Predicate<JsonObject> matching, Duration timeout) {
    List<Request> skipped = unmatched.computeIfAbsent(path, p -> new ArrayList<>());
    for (var it = skipped.iterator(); it.hasNext(); ) {
      Request request = it.next();
      if (matching.test(request.body())) {
        it.remove();
        return request.body();
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        Request request = left > 0 ? queue(path).poll(left, TimeUnit.NANOSECONDS) : null;
        if (request == null) {
          throw new AssertionError("no matching webhook at " + path + " within " + timeout + "; received: " + all);
        }
        if (matching.test(request.body())) {
          return request.body();
        }
        skipped.add(request);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The requests to {@code path} once there are at least {@code count}, waiting up to the timeout. */
  public List<Request> awaitRequests(String path, int count, Duration timeout) {
    received.await(count + " requests at " + path + "; received: " + all, () -> requests(path).size() >= count, timeout);
    return requests(path);
  }

  /** Every request to {@code path} so far, answered 200 or not, in arrival order. */
  public List<Request> requests(String path) {
    return all.stream().filter(r -> r.path().equals(path)).toList();
  }

  public List<Request> all() {
    return List.copyOf(all);
  }

  private LinkedBlockingQueue<Request> queue(String path) {
    return delivered.computeIfAbsent(path, p -> new LinkedBlockingQueue<>());
  }

  @Override
  public void close() {
    server.close().await();
  }
}
