package io.servicemanager;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Vert.x instance the manager runs on keeps its blocking pools small (footprint: every thread costs memory). */
class ThreadBudgetTest {

  @Test
  @DisplayName("However many blocking tasks wait at once, the manager's Vert.x runs them on at most ThreadBudget.WORKERS worker threads")
  void workerPoolIsBounded() throws Exception {
    Vertx vertx = Metrics.vertx();
    try {
      Set<String> threads = ConcurrentHashMap.newKeySet();
      CountDownLatch release = new CountDownLatch(1);
      List<Future<Void>> tasks = new ArrayList<>();
      for (int i = 0; i < 3 * ThreadBudget.WORKERS; i++) {
        tasks.add(vertx.executeBlocking(() -> {
          threads.add(Thread.currentThread().getName());
          release.await(30, TimeUnit.SECONDS);
          return null;
        }, false));
      }
      release.countDown();
      Future.all(tasks).await(60, TimeUnit.SECONDS);
      assertThat(threads).isNotEmpty().hasSizeLessThanOrEqualTo(ThreadBudget.WORKERS)
          .allMatch(name -> name.startsWith("vert.x-worker-thread-"));
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("Vert.x's own blocking work (file-system calls) runs on at most ThreadBudget.INTERNAL_BLOCKING threads")
  void internalPoolIsBounded() throws Exception {
    Vertx vertx = Metrics.vertx();
    try {
      Set<String> threads = ConcurrentHashMap.newKeySet();
      CountDownLatch release = new CountDownLatch(1);
      ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
      List<Future<Void>> tasks = new ArrayList<>();
      for (int i = 0; i < 3 * ThreadBudget.INTERNAL_BLOCKING; i++) {
        tasks.add(context.executeBlockingInternal(() -> {
          threads.add(Thread.currentThread().getName());
          release.await(30, TimeUnit.SECONDS);
          return null;
        }));
      }
      release.countDown();
      Future.all(tasks).await(60, TimeUnit.SECONDS);
      assertThat(threads).isNotEmpty().hasSizeLessThanOrEqualTo(ThreadBudget.INTERNAL_BLOCKING)
          .allMatch(name -> name.startsWith("vert.x-internal-blocking-"));
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
