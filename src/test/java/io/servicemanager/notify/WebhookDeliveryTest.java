package io.servicemanager.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.cumulative.CumulativeCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.servicemanager.Addresses;
import io.servicemanager.config.NotificationTarget;
import io.servicemanager.config.NotificationTarget.Event;
import io.servicemanager.config.NotificationTarget.Format;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.metrics.MetricNames;
import io.servicemanager.testing.Signal;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The delivery rules of the notification verticle, with a short retry policy so that giving up and
 * overflowing take milliseconds. Events are published on the bus as the action verticle does; the
 * end-to-end path on a real systemd is {@code NotificationIT}.
 */
class WebhookDeliveryTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** 20 ms, 40 ms, capped at 50 ms; three attempts; a 2 s request limit; a queue of two. */
  private static final RetryPolicy FAST = new RetryPolicy(20, 50, 3, 2_000, 2);

  private Vertx vertx;
  private HttpServer server;
  private final List<HttpServerRequest> requests = new CopyOnWriteArrayList<>();
  /** Signalled on every request received and every counter increment: what the tests wait on. */
  private final Signal changed = new Signal();
  private final MeterRegistry registry = new SimpleMeterRegistry() {
    @Override
    protected Counter newCounter(Meter.Id id) {
      return new CumulativeCounter(id) {
        @Override
        public void increment(double amount) {
          super.increment(amount);
          changed.signal();
        }
      };
    }
  };

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private String receiver(Consumer<HttpServerRequest> answer) {
    server = vertx.createHttpServer().requestHandler(req -> {
      requests.add(req);
      changed.signal();
      answer.accept(req);
    }).listen(0, "127.0.0.1").await();
    return "http://127.0.0.1:" + server.actualPort() + "/hook";
  }

  private void deploy(String url) {
    deploy(url, FAST);
  }

  private void deploy(String url, RetryPolicy policy) {
    ServiceCatalogue services = new ServiceCatalogue(List.of(
        new ServiceDefinition("pzserver", "pzserver.service", "PZ", "game", Permission.RESTART, true)));
    NotificationTarget target = new NotificationTarget(url, Set.of(Event.OPERATION), List.of(), Format.JSON);
    vertx.deployVerticle(new NotificationVerticle(List.of(target), services, registry, policy)).await();
  }

  private void operation(int n) {
    vertx.eventBus().publish(Addresses.OPERATION, new JsonObject().put("service", "pzserver").put("action", "restart")
        .put("user", "alice").put("result", "done").put("duration_ms", n).put("message", "restart done"));
  }

  private double deliveries(String result) {
    return registry.get(MetricNames.WEBHOOK_DELIVERIES).tag(MetricNames.TAG_RESULT, result).counter().count();
  }

  private double retries() {
    return registry.get(MetricNames.WEBHOOK_RETRIES).counter().count();
  }

  private void await(String what, BooleanSupplier condition) {
    changed.await(what, condition, WAIT);
  }

  @Test
  @DisplayName("A receiver that keeps answering 503 is tried maxAttempts times, then the notification counts as failed")
  void givesUpAfterMaxAttempts() {
    deploy(receiver(req -> req.response().setStatusCode(503).end()));
    operation(1);
    await("one failed delivery", () -> deliveries("failed") == 1);
    assertThat(requests).hasSize(3);
    assertThat(retries()).isEqualTo(2);
    assertThat(deliveries("ok")).isZero();
  }

  @Test
  @DisplayName("A 4xx other than 429 is final: asked once, counted as failed, and the next notification still goes out")
  void clientErrorIsFinal() {
    deploy(receiver(req -> req.response().setStatusCode(requests.size() == 1 ? 404 : 204).end()));
    operation(1);
    operation(2);
    await("one failed, one delivered", () -> deliveries("failed") == 1 && deliveries("ok") == 1);
    assertThat(requests).hasSize(2);
    assertThat(retries()).isZero();
  }

  @Test
  @DisplayName("429 is retried, like a 5xx")
  void tooManyRequestsIsRetried() {
    deploy(receiver(req -> req.response().setStatusCode(requests.size() == 1 ? 429 : 200).end()));
    operation(1);
    await("delivered on the second try", () -> deliveries("ok") == 1);
    assertThat(requests).hasSize(2);
    assertThat(retries()).isEqualTo(1);
  }

  @Test
  @DisplayName("Behind a receiver that does not answer, the queue keeps the newest two and counts the others as dropped")
  void overflowIsCounted() {
    deploy(receiver(req -> { })); // never answers: the first request stays in flight
    for (int n = 1; n <= 6; n++) {
      operation(n);
    }
    // One in flight, two queued (5 and 6), three dropped (2, 3 and 4).
    await("three drops", () -> deliveries("dropped") == 3);
    await("the first request in flight", () -> requests.size() == 1);
    assertThat(deliveries("ok")).isZero();
  }

  @Test
  @DisplayName("A receiver that does not answer within the request limit counts as a failed attempt and is retried")
  void timeoutIsRetried() {
    String url = receiver(req -> {
      if (requests.size() > 1) {
        req.response().end();
      }
    });
    deploy(url, new RetryPolicy(20, 50, 2, 200, 10));
    operation(1);
    await("delivered after a timeout", () -> deliveries("ok") == 1);
    assertThat(requests).hasSize(2);
    assertThat(retries()).isEqualTo(1);
  }
}
