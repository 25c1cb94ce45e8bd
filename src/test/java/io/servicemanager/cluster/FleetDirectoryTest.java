package io.servicemanager.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's directory of nodes, on two plain (not clustered) Vert.x instances standing for the
 * application's and the fleet's: announcements and snapshots are sent by the test, as a node would.
 */
@DisplayName("The fleet directory")
class FleetDirectoryTest {
  static final long WAIT_S = 30;
  Vertx local;
  Vertx fleet;
  Context directoryContext;
  FleetDirectory directory;
  /** Snapshot requests the directory sent to gamma, unanswered until the test answers them. */
  final BlockingQueue<Message<JsonObject>> snapshotAsks = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() {
    local = Vertx.vertx();
    fleet = Vertx.vertx();
    fleet.eventBus().<JsonObject>consumer(Addresses.ofNode("gamma", Addresses.NODE_SNAPSHOT), snapshotAsks::add);
    fleet.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        directoryContext = context;
        directory = new FleetDirectory(local, fleet, "dash");
        directory.start();
        return Future.succeededFuture();
      }
    }).await();
  }

  @AfterEach
  void stop() {
    fleet.close().await();
    local.close().await();
  }

  void announce(long generation) {
    fleet.eventBus().publish(Addresses.FLEET_ANNOUNCE, new JsonObject().put("node", "gamma").put("node_id", "gamma-1")
        .put("since", "2026-12-01T00:00:00Z").put("generation", generation).put("services", 1));
  }

  static JsonObject snapshot(String status) {
    return new JsonObject().put("services", new JsonArray().add(new JsonObject().put("name", "shared")
        .put("node", "gamma").put("status", status)));
  }

  Message<JsonObject> nextAsk() throws InterruptedException {
    Message<JsonObject> ask = snapshotAsks.poll(WAIT_S, TimeUnit.SECONDS);
    assertThat(ask).as("a snapshot request to gamma").isNotNull();
    return ask;
  }

  /** gamma as /api/nodes shows it, once every task queued on the directory's context before has run. */
  JsonObject gamma() throws Exception {
    Promise<Void> settled = Promise.promise();
    directoryContext.runOnContext(v -> settled.complete());
    settled.future().await(WAIT_S, TimeUnit.SECONDS);
    JsonObject nodes = local.eventBus().<JsonObject>request(Addresses.FLEET_NODES, new JsonObject())
        .await(WAIT_S, TimeUnit.SECONDS).body();
    return nodes.getJsonArray("nodes").stream().map(JsonObject.class::cast)
        .filter(n -> n.getString("node").equals("gamma")).findFirst().orElseThrow();
  }

  @Test
  @DisplayName("a snapshot asked for before a node was lost, answered after, does not bring the node back")
  void lateSnapshotDoesNotReviveALostNode() throws Exception {
    announce(1);
    nextAsk().reply(snapshot("active"));
    assertThat(gamma().getBoolean("reachable")).isTrue();

    announce(2); // its views changed: the directory asks again
    Message<JsonObject> inFlight = nextAsk();
    directoryContext.runOnContext(v -> directory.memberLeft("gamma-1"));
    assertThat(gamma().getBoolean("reachable")).isFalse();

    inFlight.reply(snapshot("active")); // sent before the node died, arriving after its loss
    JsonObject shown = gamma();

    assertThat(shown.getBoolean("reachable")).isFalse();
    assertThat(shown.getJsonArray("services").getJsonObject(0).getString("status")).isEqualTo("unreachable");
  }

  @Test
  @DisplayName("a lost node is back once a snapshot asked for after its loss arrives")
  void backAfterAFreshSnapshot() throws Exception {
    announce(1);
    nextAsk().reply(snapshot("active"));
    directoryContext.runOnContext(v -> directory.memberLeft("gamma-1"));
    assertThat(gamma().getBoolean("reachable")).isFalse();

    announce(1); // heard again after the loss
    nextAsk().reply(snapshot("inactive"));
    JsonObject shown = gamma();

    assertThat(shown.getBoolean("reachable")).isTrue();
    assertThat(shown.getJsonArray("services").getJsonObject(0).getString("status")).isEqualTo("inactive");
  }
}
