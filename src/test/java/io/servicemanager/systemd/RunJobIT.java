package io.servicemanager.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.testing.SystemdSandboxExtension;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SystemdClient#runJob} against a real systemd: one job, its JobRemoved and its verdict. */
class RunJobIT {
  private static final Duration SETTLE = Duration.ofMillis(300);
  private static final long WAIT_S = 60;

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/sleeper.service", "units/exits-one.service")
      .withUnit("slow-oneshot.service", "[Service]\nType=oneshot\nExecStart=/bin/sleep 30\n")
      .withUnit("broken-dep.service", "[Service]\nType=oneshot\nExecStart=/bin/false\n")
      .withUnit("needs-broken.service",
          "[Unit]\nRequires=broken-dep.service\nAfter=broken-dep.service\n[Service]\nExecStart=/bin/sleep 400\n")
      .withUnit("quick.service", "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n");

  static Vertx vertx;
  static Context context;
  static DbusSystemdClient client;
  /** systemd's own JobRemoved word for each unit's last job, as the subscriber saw it. */
  static final Map<String, String> removed = new ConcurrentHashMap<>();

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    client = new DbusSystemdClient(vertx, systemd.busAddress());
    onContext(() -> client.connect(new SystemdEvents() {
      @Override
      public void jobRemoved(long id, String jobPath, String unit, String result) {
        removed.put(unit, result);
      }

      @Override
      public void disconnected(String reason) {}
    }));
  }

  @AfterAll
  static void close() {
    if (vertx != null) {
      onContext(() -> client.close());
      vertx.close().await();
    }
  }

  /** Jobs live on the context that connected: every call is made there. */
  static <T> T onContext(Supplier<Future<T>> call) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> call.get().onComplete(done));
    try {
      return done.future().await(WAIT_S, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no outcome within " + WAIT_S + " s", e);
    }
  }

  @Test
  @DisplayName("A start that leaves the service running is done, with the unit's state after it and the job's timing")
  void success() {
    systemd.sandbox().systemctlOk("stop", "sleeper.service");
    JobOutcome outcome = onContext(() -> client.runJob("sleeper.service", Action.START, SETTLE));
    assertThat(outcome.success()).as(outcome.message()).isTrue();
    assertThat(outcome.result()).isEqualTo("done");
    assertThat(outcome.message()).isEqualTo("start done");
    assertThat(outcome.after().activeState()).isEqualTo("active");
    assertThat(outcome.after().type()).isEqualTo("simple");
    assertThat(outcome.at()).isNotNull();
    assertThat(outcome.durationMs()).as("a Type=simple start waits the settle time").isGreaterThanOrEqualTo(SETTLE.toMillis());
    assertThat(systemd.activeState("sleeper.service")).isEqualTo("active");

    JobOutcome stopped = onContext(() -> client.runJob("sleeper.service", Action.STOP, SETTLE));
    assertThat(stopped.result()).isEqualTo("done");
    assertThat(stopped.after().activeState()).isEqualTo("inactive");
  }

  @Test
  @DisplayName("A Type=simple service that exits 1 ends its job \"done\", and the outcome is failed with Result=exit-code")
  void failedAfterDone() {
    JobOutcome outcome = onContext(() -> client.runJob("exits-one.service", Action.START, SETTLE));
    assertThat(outcome.result()).as(outcome.message()).isEqualTo("failed");
    assertThat(outcome.systemdResult()).isEqualTo("exit-code");
    assertThat(outcome.exitStatus()).isEqualTo(1L);
    assertThat(outcome.message()).contains("exited with status 1");
    assertThat(outcome.after().activeState()).isEqualTo("failed");
    assertThat(removed.get("exits-one.service")).as("systemd's own word for the job").isEqualTo("done");
  }

  @Test
  @DisplayName("A start replaced by a stop while it runs is canceled; the stop is done")
  void canceled() {
    record Both(JobOutcome start, JobOutcome stop) {}
    Both both = onContext(() -> {
      // One connection sends in order: the stop reaches systemd after the start job is queued.
      Future<JobOutcome> start = client.runJob("slow-oneshot.service", Action.START, SETTLE);
      Future<JobOutcome> stop = client.runJob("slow-oneshot.service", Action.STOP, SETTLE);
      return Future.all(start, stop).map(v -> new Both(start.result(), stop.result()));
    });
    assertThat(both.start().result()).as(both.start().message()).isEqualTo("canceled");
    assertThat(both.start().success()).isFalse();
    assertThat(both.stop().result()).as(both.stop().message()).isEqualTo("done");
    // The killed oneshot ends "failed" (Result=signal) or "inactive": either way it does not run.
    assertThat(systemd.activeState("slow-oneshot.service")).isIn("inactive", "failed");
  }

  @Test
  @DisplayName("A start whose Requires= unit fails ends \"dependency\"")
  void dependency() {
    JobOutcome outcome = onContext(() -> client.runJob("needs-broken.service", Action.START, SETTLE));
    assertThat(outcome.result()).as(outcome.message()).isEqualTo("dependency");
    assertThat(outcome.success()).isFalse();
    assertThat(outcome.after().activeState()).isEqualTo("inactive");
  }

  @Test
  @DisplayName("A job systemd refuses (no such unit file) fails the future with systemd's reason")
  void refused() {
    Promise<Throwable> failure = Promise.promise();
    context.runOnContext(v -> client.runJob("ghost.service", Action.START, SETTLE)
        .onComplete(ar -> failure.complete(ar.cause())));
    Throwable cause = failure.future().await();
    assertThat(cause).isNotNull();
    assertThat(cause.getMessage()).containsIgnoringCase("not found");
  }

  @Test
  @DisplayName("A JobRemoved that arrives before the call's reply names the job is kept and matched, not lost")
  void earlyJobRemoved() {
    // The reply is held back until the helper has seen this job's JobRemoved (its subscriber sees a
    // signal after the helper): the order the race produces now and then, made certain.
    Map<String, Promise<String>> seenByJobs = new ConcurrentHashMap<>();
    Jobs jobs = new Jobs(vertx, new Jobs.Calls() {
      @Override
      public Future<String> submit(String unit, Action action) {
        return client.submitJob(unit, action).compose(path ->
            seenByJobs.computeIfAbsent(path, p -> Promise.promise()).future().map(result -> path));
      }

      @Override
      public Future<UnitSnapshot> read(String unit) {
        return client.readUnit(unit);
      }
    });
    systemd.sandbox().systemctlOk("stop", "quick.service");
    DbusSystemdClient second = new DbusSystemdClient(vertx, systemd.busAddress());
    onContext(() -> second.connect(jobs.watching(new SystemdEvents() {
      @Override
      public void jobRemoved(long id, String jobPath, String unit, String result) {
        seenByJobs.computeIfAbsent(jobPath, p -> Promise.promise()).tryComplete(result);
      }

      @Override
      public void disconnected(String reason) {}
    })));
    try {
      JobOutcome outcome = onContext(() -> jobs.run("quick.service", Action.START, SETTLE));
      assertThat(outcome.result()).as(outcome.message()).isEqualTo("done");
      assertThat(outcome.after().activeState()).isEqualTo("active");
    } finally {
      onContext(second::close);
    }
  }
}
