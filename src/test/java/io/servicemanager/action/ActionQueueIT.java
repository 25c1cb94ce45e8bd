package io.servicemanager.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
import io.servicemanager.Application;
import io.servicemanager.auth.Identity;
import io.servicemanager.auth.Role;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.insight.OperationQuery;
import io.servicemanager.systemd.DbusSystemdClient;
import io.servicemanager.testing.CountingSystemdClient;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests for one unit that arrive while its jobs are still running: which of them join a job,
 * the order systemd runs them in, and that every caller is on record under its own name.
 */
class ActionQueueIT {
  private static final long ANSWER_MS = 60_000;

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension();

  static Vertx vertx;
  static CountingSystemdClient actions;
  static Application app;
  static Path trace;

  @BeforeAll
  static void deploy() throws IOException {
    // Each start and stop takes a moment and writes what ran, so requests really queue and the
    // order systemd ran the jobs in can be read back.
    trace = systemd.sandbox().dir().resolve("slow.trace");
    systemd.sandbox().writeUnit("slow.service", "[Service]\n"
        + "ExecStartPre=/bin/sh -c 'echo start >> " + trace + "; sleep 0.3'\n"
        + "ExecStart=/bin/sleep 400\n"
        + "ExecStop=/bin/sh -c 'echo stop >> " + trace + "; sleep 0.3'\n");
    systemd.sandbox().daemonReload();
    vertx = Vertx.vertx();
    actions = new CountingSystemdClient(new DbusSystemdClient(vertx, systemd.busAddress()));
    AppConfig config = TestConfigs.forBus(systemd.busAddress());
    app = Application.deploy(vertx, config, new ServiceCatalogue(List.of(
            new ServiceDefinition("slow", "slow.service", "Slow", "takes 0.3 s to start and to stop", Permission.ALL, true))),
        new DbusSystemdClient(vertx, systemd.busAddress()), actions).await();
    // Deployed once the action connection's first attempt ended; the sandbox's bus was up.
    assertThat(actions.isConnected()).as("action bus connection").isTrue();
  }

  @AfterAll
  static void close() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  /** Each test starts from a running unit with an empty trace. */
  @BeforeEach
  void running() throws IOException {
    systemd.sandbox().systemctlOk("start", "slow.service");
    Files.deleteIfExists(trace);
  }

  private static Future<JsonObject> request(String user, String action) {
    JsonObject body = new JsonObject().put("service", "slow").put("action", action)
        .put("identity", new Identity(user, Role.OPERATOR, null).toJson());
    return vertx.eventBus().<JsonObject>request(Addresses.ACTION, body, new DeliveryOptions().setSendTimeout(ANSWER_MS))
        .map(m -> m.body());
  }

  /** Sends request {@code i} of {@code actions} 50 ms after request {@code i - 1}, each as user{@code i}. */
  private static List<Future<JsonObject>> fiftyMsApart(String... verbs) {
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (int i = 0; i < verbs.length; i++) {
      String user = "user" + i;
      String verb = verbs[i];
      Promise<JsonObject> answer = Promise.promise();
      if (i == 0) {
        request(user, verb).onComplete(answer);
      } else {
        vertx.setTimer(50L * i, id -> request(user, verb).onComplete(answer));
      }
      answers.add(answer.future());
    }
    Future.all(answers).timeout(ANSWER_MS, TimeUnit.MILLISECONDS).await();
    return answers;
  }

  private static List<String> trace() throws IOException {
    return Files.exists(trace) ? Files.readAllLines(trace) : List.of();
  }

  /** The newest {@code n} history entries of the service, oldest first. */
  private static List<JsonObject> lastEntries(int n) {
    List<JsonObject> newestFirst = new ArrayList<>(app.operations().query(new OperationQuery(null, "slow", null, null, n)).await().entries());
    java.util.Collections.reverse(newestFirst);
    return newestFirst;
  }

  @Test
  @DisplayName("Restart, stop, start, stop sent 50 ms apart run in that order, each caller hears its own action's outcome, and the unit ends inactive")
  void restartStopStartStop() throws IOException {
    int jobsBefore = actions.submitted();

    List<Future<JsonObject>> answers = fiftyMsApart("restart", "stop", "start", "stop");

    String[] asked = {"restart", "stop", "start", "stop"};
    for (int i = 0; i < asked.length; i++) {
      JsonObject answer = answers.get(i).result();
      assertThat(answer.getString("status")).as("caller %d: %s", i, answer.encode()).isEqualTo("success");
      assertThat(answer.getString("action")).as("caller %d", i).isEqualTo(asked[i]);
      assertThat(answer.getString("result")).as("caller %d", i).isEqualTo("done");
    }
    // restart = stop + start, then stop, start, stop.
    assertThat(trace()).as("what systemd ran, in order").containsExactly("stop", "start", "stop", "start", "stop");
    assertThat(systemd.activeState("slow.service")).isEqualTo("inactive");
    assertThat(actions.submitted() - jobsBefore).as("no request joined one that ran before another").isEqualTo(4);
    assertThat(lastEntries(4)).extracting(e -> e.getString("user") + " " + e.getString("action") + " " + e.getString("result"))
        .containsExactly("user0 restart done", "user1 stop done", "user2 start done", "user3 stop done");
  }

  @Test
  @DisplayName("A request identical to the last one waiting joins it: restart, stop, stop run as one restart and one stop")
  void joinsTheLastWaiting() throws IOException {
    int jobsBefore = actions.submitted();

    List<Future<JsonObject>> answers = fiftyMsApart("restart", "stop", "stop");

    assertThat(answers).allSatisfy(f -> assertThat(f.result().getString("status")).as(f.result().encode()).isEqualTo("success"));
    assertThat(answers.get(2).result().getString("action")).isEqualTo("stop");
    assertThat(actions.submitted() - jobsBefore).as("the second stop joined the waiting one").isEqualTo(2);
    assertThat(trace()).containsExactly("stop", "start", "stop");
    assertThat(systemd.activeState("slow.service")).isEqualTo("inactive");
  }

  @Test
  @DisplayName("Two users restarting the same unit at once share one job, and each is on record under their own name")
  void twoUsersJoined() {
    int jobsBefore = actions.submitted();
    List<String> published = new CopyOnWriteArrayList<>();
    Promise<Void> both = Promise.promise();
    var consumer = vertx.eventBus().<JsonObject>consumer(Addresses.OPERATION, m -> {
      published.add(m.body().getString("user"));
      if (published.size() == 2) {
        both.tryComplete();
      }
    });
    consumer.completion().await();

    Future<JsonObject> alice = request("alice", "restart");
    Future<JsonObject> bob = request("bob", "restart");
    Future.all(alice, bob).timeout(ANSWER_MS, TimeUnit.MILLISECONDS).await();

    assertThat(alice.result().getString("status")).as(alice.result().encode()).isEqualTo("success");
    assertThat(bob.result().getString("status")).as(bob.result().encode()).isEqualTo("success");
    assertThat(actions.submitted() - jobsBefore).as("one systemd job for both").isEqualTo(1);
    List<JsonObject> entries = lastEntries(2);
    assertThat(entries).extracting(e -> e.getString("user")).containsExactlyInAnyOrder("alice", "bob");
    assertThat(entries).allSatisfy(e -> {
      assertThat(e.getString("action")).isEqualTo("restart");
      assertThat(e.getString("result")).isEqualTo("done");
      assertThat(e.fieldNames()).containsExactlyInAnyOrder("at", "service", "unit", "action", "user", "result",
          "systemd_result", "exit_status", "duration_ms", "message");
    });
    assertThat(entries.get(0).getString("at")).as("the same job").isEqualTo(entries.get(1).getString("at"));
    // Published before the answers; this test's consumer may see them a moment later.
    both.future().timeout(15, TimeUnit.SECONDS).await();
    consumer.unregister().await();
    assertThat(published).as("one operation per caller").containsExactlyInAnyOrder("alice", "bob");
  }
}
