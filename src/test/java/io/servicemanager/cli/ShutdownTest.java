package io.servicemanager.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ShutdownTest {
  @Test
  @DisplayName("A verticle whose stop never ends does not keep the process: the shutdown gives up after its bound")
  void boundedClose() {
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> stop() {
        return Promise.promise().future(); // never completes
      }
    }).await();
    long started = System.nanoTime();
    assertThat(Shutdown.close(vertx, 1)).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  @DisplayName("A Vert.x that closes in time says so")
  void closesInTime() {
    assertThat(Shutdown.close(Vertx.vertx(), 20)).isTrue();
  }
}
