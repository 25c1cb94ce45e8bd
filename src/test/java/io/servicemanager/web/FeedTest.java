package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.servicemanager.Addresses;
import io.servicemanager.auth.Identity;
import io.servicemanager.auth.Role;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The one subscriber path: every transport is pushed every kind through the same feed, under the same rules. */
class FeedTest {
  static final Identity ALICE = new Identity("alice", Role.OPERATOR, Set.of("mine"));
  static final Identity VICTOR = new Identity("victor", Role.VIEWER, null);

  Vertx vertx;
  Context context;
  Feed feed;

  /** A transport's subscriber as the transports make them: what it takes and how it frames. */
  final class Client implements Feed.Subscriber {
    final Identity who;
    final String transport;
    final Set<String> registered;
    final BiFunction<PushKind, JsonObject, JsonObject> framing;
    final long seq = feed.nextSeq();
    final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    final List<Short> closes = new CopyOnWriteArrayList<>();
    CountDownLatch expected;

    /** @param registered the bridge addresses it registered; null: a /ws socket, which takes every kind */
    Client(Identity who, String transport, Set<String> registered, BiFunction<PushKind, JsonObject, JsonObject> framing,
        int expected) {
      this.who = who;
      this.transport = transport;
      this.registered = registered;
      this.framing = framing;
      this.expected = new CountDownLatch(expected);
    }

    @Override public Identity who() { return who; }
    @Override public Object rights() { return Feed.rights(transport, who); }
    @Override public long seq() { return seq; }
    @Override public boolean closed() { return !closes.isEmpty(); }

    @Override
    public boolean takes(PushKind kind) {
      return registered == null || kind.bridged() && registered.contains(kind.address());
    }

    @Override
    public JsonObject frame(PushKind kind, JsonObject seen) {
      return framing.apply(kind, seen);
    }

    @Override
    public Future<Void> write(byte[] frame) {
      frames.add(new JsonObject(new String(frame, StandardCharsets.UTF_8)));
      expected.countDown();
      return Future.succeededFuture();
    }

    @Override
    public void close(short code, String reason) {
      closes.add(code);
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    Timer latency = Timer.builder("push").register(new SimpleMeterRegistry());
    onContext(() -> feed = new Feed(vertx, latency));
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  void onContext(Runnable action) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      action.run();
      done.complete(null);
    });
    done.get(10, TimeUnit.SECONDS);
  }

  Client add(Client client) throws Exception {
    onContext(() -> feed.add(client, client, 0));
    return client;
  }

  static JsonObject view(String name) {
    return new JsonObject().put("name", name).put("status", "active")
        .put("allowed_actions", new JsonArray().add("start").add("stop"));
  }

  @Test
  @DisplayName("A message published once reaches /ws, SockJS and TCP subscribers, each in its own frame, and only what its identity may see")
  void everyTransport() throws Exception {
    Set<String> both = Set.of(Addresses.STATUS, Addresses.OPERATION);
    Client ws = add(new Client(ALICE, "ws", null, PushKind::frame, 2));
    Client sockJs = add(new Client(ALICE, "sockjs", both, (k, seen) -> WireFormat.sockJsMessage(k.address(), seen), 2));
    Client tcp = add(new Client(ALICE, "tcp", Set.of(Addresses.STATUS), (k, seen) -> WireFormat.tcpMessage(k.address(), seen), 1));
    Client viewer = add(new Client(VICTOR, "tcp", both, (k, seen) -> WireFormat.tcpMessage(k.address(), seen), 3));

    vertx.eventBus().publish(Addresses.STATUS, view("theirs"));
    vertx.eventBus().publish(Addresses.STATUS, view("mine"));
    vertx.eventBus().publish(Addresses.OPERATION, new JsonObject().put("service", "mine").put("result", "done"));
    for (Client c : List.of(ws, sockJs, tcp, viewer)) {
      assertThat(c.expected.await(10, TimeUnit.SECONDS)).as(c.transport + " " + c.who.name()).isTrue();
    }
    // The last status-only frames go through the same queue: a catalogue reload marks its end.
    CountDownLatch end = new CountDownLatch(1);
    ws.expected = end;
    vertx.eventBus().publish(Addresses.CATALOGUE, new JsonObject().put("services", new JsonArray().add(view("mine"))));
    assertThat(end.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(ws.frames).extracting(f -> f.getString("type")).containsExactly("status", "operation", "snapshot");
    assertThat(ws.frames.get(0).getJsonObject("service").getString("name")).isEqualTo("mine");
    assertThat(sockJs.frames).containsExactly(
        WireFormat.sockJsMessage(Addresses.STATUS, view("mine")),
        WireFormat.sockJsMessage(Addresses.OPERATION, new JsonObject().put("service", "mine").put("result", "done")));
    assertThat(tcp.frames).containsExactly(WireFormat.tcpMessage(Addresses.STATUS, view("mine")));
    // A viewer sees every service, with no actions, on the bridges as on /ws.
    assertThat(viewer.frames).hasSize(3);
    assertThat(viewer.frames.get(0).getJsonObject("body").getString("name")).isEqualTo("theirs");
    assertThat(viewer.frames.get(1).getJsonObject("body").getJsonArray("allowed_actions")).isEmpty();
  }

  @Test
  @DisplayName("A change of rights closes the subscribers of every transport at once")
  void closeAll() throws Exception {
    Client ws = add(new Client(ALICE, "ws", null, PushKind::frame, 0));
    Client tcp = add(new Client(ALICE, "tcp", Set.of(), (k, seen) -> seen, 0));
    onContext(feed::closeAll);
    assertThat(ws.closes).containsExactly(Subscribers.RIGHTS_CHANGED);
    assertThat(tcp.closes).containsExactly(Subscribers.RIGHTS_CHANGED);
  }

  @Test
  @DisplayName("On a fleet's dashboard every node's operations and start failures reach /ws and the bridges with their node, each only to whoever sees that service on that node")
  void fleetMessages() throws Exception {
    Timer latency = Timer.builder("push").register(new SimpleMeterRegistry());
    onContext(() -> feed = new Feed(vertx, latency, "dash"));
    Identity gamer = new Identity("gamer", Role.VIEWER, Set.of("game-*/x"));
    Client gamerWs = add(new Client(gamer, "ws", null, PushKind::frame, 2));
    Client gamerSockJs = add(new Client(gamer, "sockjs", Set.of(Addresses.OPERATION),
        (k, seen) -> WireFormat.sockJsMessage(k.address(), seen), 1));
    Client aliceWs = add(new Client(ALICE, "ws", null, PushKind::frame, 1));

    JsonObject remote = new JsonObject().put("node", "game-1").put("service", "x").put("action", "stop").put("result", "done");
    vertx.eventBus().publish(Addresses.FLEET_OPERATION, remote);
    vertx.eventBus().publish(Addresses.FLEET_START_FAILED, new JsonObject().put("node", "game-1").put("service", "x")
        .put("action", "start").put("message", "exited with status 1"));
    vertx.eventBus().publish(Addresses.FLEET_OPERATION, remote.copy().put("node", "web-1"));
    vertx.eventBus().publish(Addresses.OPERATION, new JsonObject().put("service", "mine").put("result", "done"));
    for (Client c : List.of(gamerWs, gamerSockJs, aliceWs)) {
      assertThat(c.expected.await(10, TimeUnit.SECONDS)).as(c.transport + " " + c.who.name()).isTrue();
    }
    // A catalogue reload marks the end of what came before, for every subscriber of the queue.
    gamerWs.expected = new CountDownLatch(1);
    aliceWs.expected = new CountDownLatch(1);
    vertx.eventBus().publish(Addresses.CATALOGUE, new JsonObject().put("services", new JsonArray().add(view("mine"))));
    assertThat(gamerWs.expected.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(aliceWs.expected.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(gamerWs.frames).extracting(f -> f.getString("type") + " " + f.getString("node") + "/" + f.getString("service"))
        .containsExactly("operation game-1/x", "start_failed game-1/x", "snapshot null/null");
    assertThat(gamerSockJs.frames).containsExactly(WireFormat.sockJsMessage(Addresses.OPERATION, remote));
    assertThat(aliceWs.frames).extracting(f -> f.getString("type") + " " + f.getString("node") + "/" + f.getString("service"))
        .as("a plain name is the dashboard's own service, its operation with the dashboard's node")
        .containsExactly("operation dash/mine", "snapshot null/null");
  }
}
