package io.servicemanager.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.auth.Identity;
import io.servicemanager.auth.Role;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.insight.InsightStore;
import io.servicemanager.insight.OperationStore;
import io.servicemanager.systemd.DbusSystemdClient;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The answer goes out before the operation is published, never before it is recorded: when a caller
 * hears the outcome, the record is committed in the insight database; the publish follows with the
 * same record; an action whose record cannot be written is answered as an error and published nowhere.
 */
class RecordBeforeAnswerIT {
  private static final String ONESHOT = "[Unit]\nStartLimitIntervalSec=0\n[Service]\nType=oneshot\nRemainAfterExit=yes\n"
      + "ExecStart=/bin/true\n";

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withUnit("recorded.service", ONESHOT)
      .withUnit("unrecorded.service", ONESHOT)
      .withUnit("ordered.service", ONESHOT);

  @TempDir
  static Path dir;
  static Vertx vertx;
  static InsightStore store;
  static final CompletableFuture<JsonObject> published = new CompletableFuture<>();

  @BeforeAll
  static void deploy() throws Exception {
    vertx = Vertx.vertx();
    store = InsightStore.open(vertx, dir.resolve("servicemanager.db")).await(60, TimeUnit.SECONDS);
    vertx.deployVerticle(new ActionVerticle(new DbusSystemdClient(vertx, systemd.busAddress()), catalogue("recorded"),
        new OperationStore(store), 30_000, 0)).await(60, TimeUnit.SECONDS);
    vertx.eventBus().<JsonObject>consumer(Addresses.OPERATION, m -> published.complete(m.body()))
        .completion().await(60, TimeUnit.SECONDS);
  }

  private static ServiceCatalogue catalogue(String name) {
    return new ServiceCatalogue(List.of(new ServiceDefinition(name, name + ".service", name, "A oneshot",
        Permission.ALL, true)));
  }

  @AfterAll
  static void close() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  private static JsonObject restart(Vertx on, String service) throws Exception {
    JsonObject request = new JsonObject().put("service", service).put("action", "restart")
        .put("identity", new Identity("alice", Role.OPERATOR, null).toJson());
    return on.eventBus().<JsonObject>request(Addresses.ACTION, request).await(60, TimeUnit.SECONDS).body();
  }

  @Test
  @DisplayName("When the answer arrives, its record is committed: another connection reads it; the publish carries the same record")
  void recordedBeforeAnswered() throws Exception {
    JsonObject answer = restart(vertx, "recorded");
    String user;
    String result;
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + store.file());
        Statement s = other.createStatement();
        ResultSet rs = s.executeQuery("SELECT user, result FROM operations WHERE service = 'recorded'")) {
      assertThat(rs.next()).as("the record is in the database when the answer arrives").isTrue();
      user = rs.getString(1);
      result = rs.getString(2);
    }
    assertThat(answer.getString("status")).isEqualTo("success");
    assertThat(user).isEqualTo("alice");
    assertThat(result).isEqualTo(answer.getString("result")).isEqualTo("done");
    JsonObject operation = published.get(60, TimeUnit.SECONDS);
    assertThat(operation.getString("service")).isEqualTo("recorded");
    assertThat(operation.getString("user")).isEqualTo("alice");
    assertThat(operation.getString("result")).isEqualTo("done");
  }

  @Test
  @DisplayName("A caller that also listens to operations hears the answer first, then the operation published")
  void answerBeforePublish() throws Exception {
    Vertx other = Vertx.vertx();
    InsightStore own = InsightStore.open(other, dir.resolve("ordered.db")).await(60, TimeUnit.SECONDS);
    try {
      other.deployVerticle(new ActionVerticle(new DbusSystemdClient(other, systemd.busAddress()), catalogue("ordered"),
          new OperationStore(own), 30_000, 0)).await(60, TimeUnit.SECONDS);
      List<String> seen = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> both = new CompletableFuture<>();
      // One context both asks and listens: what reaches it arrives in the order it was sent.
      other.deployVerticle(new AbstractVerticle() {
        @Override
        public void start() {
          JsonObject request = new JsonObject().put("service", "ordered").put("action", "restart")
              .put("identity", new Identity("alice", Role.OPERATOR, null).toJson());
          vertx.eventBus().<JsonObject>consumer(Addresses.OPERATION, m -> {
            seen.add("published " + m.body().getString("result"));
            both.complete(null);
          }).completion().compose(v -> vertx.eventBus().<JsonObject>request(Addresses.ACTION, request))
              .onSuccess(reply -> seen.add("answered " + reply.body().getString("result")))
              .onFailure(both::completeExceptionally);
        }
      }).await(60, TimeUnit.SECONDS);
      both.get(60, TimeUnit.SECONDS);
      assertThat(seen).containsExactly("answered done", "published done");
    } finally {
      own.close().await();
      other.close().await();
    }
  }

  @Test
  @DisplayName("A record that cannot be written: the caller hears internal_error, and no operation is published")
  void unrecordedIsNeitherConfirmedNorPublished() throws Exception {
    Vertx other = Vertx.vertx();
    try {
      // A verticle of its own on its own Vert.x, so its publishes are the only ones there.
      other.deployVerticle(new ActionVerticle(new DbusSystemdClient(other, systemd.busAddress()), catalogue("unrecorded"),
          record -> Future.failedFuture("disk full"), 30_000, 0)).await(60, TimeUnit.SECONDS);
      List<JsonObject> seen = new CopyOnWriteArrayList<>();
      String probeContext = other.deployVerticle(new AbstractVerticle() {
        @Override
        public void start() {
          vertx.eventBus().<JsonObject>consumer(Addresses.OPERATION, m -> seen.add(m.body()));
          vertx.eventBus().<String>consumer("test.probe", m -> m.reply(m.body()));
        }
      }).await(60, TimeUnit.SECONDS);
      assertThat(probeContext).isNotNull();
      JsonObject answer = restart(other, "unrecorded");
      assertThat(answer.getString("status")).isEqualTo("error");
      assertThat(answer.getString("code")).isEqualTo(ErrorCode.INTERNAL_ERROR.code());
      assertThat(answer.getString("message")).contains("could not be recorded", "disk full");
      // A publish would go out in the same turn as the answer, so the listener would have it before this probe.
      other.eventBus().request("test.probe", "after").await(60, TimeUnit.SECONDS);
      assertThat(seen).as("operations published for an unrecorded action").isEmpty();
      assertThat(systemd.systemctl("is-active", "unrecorded.service").stdout().trim()).isEqualTo("active");
    } finally {
      other.close().await();
    }
  }
}
