package io.servicemanager.notify;

import io.micrometer.core.instrument.Counter;
import io.servicemanager.config.NotificationTarget;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One target's deliveries: its own bounded queue, one request at a time (so a receiver sees events
 * in order), retried with back-off on a network error, a timeout, 429 or 5xx. Any other answer is
 * final: a 4xx other than 429 means the URL or the body is wrong, and asking again will not help.
 */
final class Webhook {
  private static final Logger LOG = LoggerFactory.getLogger(Webhook.class);

  /** This target's counters: {@code deliveries{result=ok|failed|dropped}} and retries. */
  record Counters(Counter ok, Counter failed, Counter dropped, Counter retries) {}

  private final Vertx vertx;
  private final WebClient client;
  private final NotificationTarget target;
  private final RetryPolicy policy;
  private final Counters counters;
  private final DeliveryQueue<Buffer> queue;
  /** The URL without path or query: a Discord or Slack webhook's path is its secret. */
  private final String shownUrl;
  private boolean busy;

  Webhook(Vertx vertx, WebClient client, NotificationTarget target, RetryPolicy policy, Counters counters) {
    this.vertx = vertx;
    this.client = client;
    this.target = target;
    this.policy = policy;
    this.counters = counters;
    this.queue = new DeliveryQueue<>(policy.queueCapacity());
    URI uri = URI.create(target.url());
    this.shownUrl = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/…";
  }

  NotificationTarget target() {
    return target;
  }

  /** Queues a body; returns at once, whatever the receiver is doing. */
  void send(Buffer body) {
    if (queue.offer(body)) {
      counters.dropped().increment();
      if (queue.dropped() == 1 || queue.dropped() % 100 == 0) {
        LOG.warn("webhook {}: queue full ({} waiting), dropped the oldest notification ({} dropped so far)",
            shownUrl, queue.size(), queue.dropped());
      }
    }
    if (!busy) {
      next();
    }
  }

  private void next() {
    Buffer body = queue.poll();
    busy = body != null;
    if (busy) {
      attempt(body, 1);
    }
  }

  private void attempt(Buffer body, int attempt) {
    client.postAbs(target.url())
        .timeout(policy.requestTimeoutMs())
        .putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json")
        .sendBuffer(body)
        .onComplete(ar -> answered(body, attempt, ar));
  }

  private void answered(Buffer body, int attempt, AsyncResult<HttpResponse<Buffer>> ar) {
    int status = ar.succeeded() ? ar.result().statusCode() : 0;
    if (status >= 200 && status < 300) {
      counters.ok().increment();
      next();
      return;
    }
    String why = ar.succeeded() ? "HTTP " + status : ar.cause().toString();
    boolean retryable = status == 0 || status == 429 || status >= 500;
    if (retryable && attempt < policy.maxAttempts()) {
      long delay = policy.delayMs(attempt, retryAfterMs(ar));
      counters.retries().increment();
      LOG.debug("webhook {}: attempt {} failed ({}), retrying in {} ms", shownUrl, attempt, why, delay);
      vertx.setTimer(delay, id -> attempt(body, attempt + 1));
      return;
    }
    counters.failed().increment();
    LOG.warn("webhook {}: notification not delivered after {} attempt(s): {}", shownUrl, attempt, why);
    next();
  }

  /** Retry-After in seconds, as Discord and Slack send with 429; dates are rare and ignored. */
  private static long retryAfterMs(AsyncResult<HttpResponse<Buffer>> ar) {
    String header = ar.succeeded() ? ar.result().getHeader("Retry-After") : null;
    if (header != null && header.matches("\\d{1,5}")) {
      return Long.parseLong(header) * 1000;
    }
    return 0;
  }
}
