package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.auth.Identity;
import io.servicemanager.auth.Role;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FanOutTest {
  static final Identity VIEWER = new Identity("victor", Role.VIEWER, null);
  static final Identity ALICE = new Identity("alice", Role.OPERATOR, Set.of("a"));
  /** More than two slices, so a message is still being written when the next one comes. */
  static final int MANY = FanOut.SLICE * 3 + 10;

  Vertx vertx;
  Context context;
  FanOut fanOut;
  final Map<Integer, Client> clients = new LinkedHashMap<>();

  /** A subscriber that records the frames written to it. */
  final class Client implements FanOut.Subscriber {
    final Identity who;
    final long seq;
    final List<String> frames = new ArrayList<>();
    /** The kinds it takes; null: every kind. */
    final Set<PushKind> kinds;
    /** Its transport's frame: the message prefixed with this; "" for the plain message. */
    final String transport;
    boolean closed;

    Client(Identity who) {
      this(who, null, "");
    }

    Client(Identity who, Set<PushKind> kinds, String transport) {
      this.who = who;
      this.seq = fanOut.nextSeq();
      this.kinds = kinds;
      this.transport = transport;
    }

    @Override public Identity who() { return who; }
    @Override public Object rights() { return List.of(transport, who.name()); }
    @Override public long seq() { return seq; }
    @Override public boolean closed() { return closed; }
    @Override public boolean takes(PushKind kind) { return kinds == null || kinds.contains(kind); }

    @Override
    public JsonObject frame(PushKind kind, JsonObject seen) {
      return transport.isEmpty() ? seen : FanOutTest.frame(transport + ":" + seen.getString("m"));
    }

    @Override
    public Future<Void> write(byte[] frame) {
      frames.add(new JsonObject(new String(frame, java.nio.charset.StandardCharsets.UTF_8)).getString("m"));
      return Future.succeededFuture();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    onContext(() -> {
      Collection<Client> open = clients.values();
      fanOut = new FanOut(context, () -> open);
      for (int i = 0; i < MANY; i++) {
        clients.put(i, new Client(VIEWER));
      }
    });
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  static JsonObject frame(String m) {
    return new JsonObject().put("m", m);
  }

  /** Runs on the fan-out's event loop, then waits until every message is written. */
  void onContext(Runnable action) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      action.run();
      awaitIdle(done);
    });
    done.get(10, TimeUnit.SECONDS);
  }

  void awaitIdle(CompletableFuture<Void> done) {
    if (fanOut == null || fanOut.pending() == 0) {
      done.complete(null);
    } else {
      context.runOnContext(v -> awaitIdle(done));
    }
  }

  List<String> framesOf(int client) {
    return clients.get(client).frames;
  }

  @Test
  @DisplayName("Every subscriber gets every message, in the order published, across many slices")
  void inOrder() throws Exception {
    onContext(() -> {
      fanOut.publish(PushKind.OPERATION, who -> frame("op1"));
      fanOut.status("a", who -> frame("a1"), null);
      fanOut.publish(PushKind.OPERATION, who -> frame("op2"));
    });
    for (Client c : clients.values()) {
      assertThat(c.frames).containsExactly("op1", "a1", "op2");
    }
  }

  @Test
  @DisplayName("A newer status replaces one not yet written: unreached subscribers get only the newer, reached ones get it after")
  void newerStatusWins() throws Exception {
    AtomicInteger written = new AtomicInteger();
    onContext(() -> {
      fanOut.status("a", who -> frame("deactivating"), () -> written.addAndGet(100));
      fanOut.status("a", who -> frame("inactive"), written::incrementAndGet);
    });
    // The first slice went out at once, with the older state; the rest never saw it.
    for (int i = 0; i < FanOut.SLICE; i++) {
      assertThat(framesOf(i)).as("client %d", i).containsExactly("deactivating", "inactive");
    }
    for (int i = FanOut.SLICE; i < MANY; i++) {
      assertThat(framesOf(i)).as("client %d", i).containsExactly("inactive");
    }
    assertThat(written).as("only the surviving status reports its last write").hasValue(1);
  }

  @Test
  @DisplayName("Statuses are merged past other services' statuses, never past an operation")
  void mergeBarriers() throws Exception {
    onContext(() -> {
      fanOut.status("a", who -> frame("a1"), null);
      fanOut.status("b", who -> frame("b1"), null);
      fanOut.status("a", who -> frame("a2"), null);
      fanOut.publish(PushKind.OPERATION, who -> frame("op"));
      fanOut.status("a", who -> frame("a3"), null);
    });
    for (int i = FanOut.SLICE; i < MANY; i++) {
      assertThat(framesOf(i)).as("client %d", i).containsExactly("a2", "b1", "op", "a3");
    }
    assertThat(framesOf(0)).containsExactly("a1", "a2", "b1", "op", "a3");
  }

  @Test
  @DisplayName("A subscriber that joins while a status is written gets the newer one; a closed one gets nothing more")
  void joinersAndLeavers() throws Exception {
    onContext(() -> {
      fanOut.status("a", who -> frame("a1"), null);
      clients.get(MANY - 1).closed = true;
      clients.put(MANY, new Client(VIEWER));
      fanOut.status("a", who -> frame("a2"), null);
    });
    assertThat(framesOf(MANY)).containsExactly("a2");
    assertThat(framesOf(MANY - 1)).isEmpty();
  }

  @Test
  @DisplayName("A frame is made once per set of rights, and a subscriber whose identity gets none is skipped")
  void perRights() throws Exception {
    AtomicInteger made = new AtomicInteger();
    onContext(() -> {
      clients.put(MANY, new Client(ALICE));
      fanOut.status("b", who -> {
        made.incrementAndGet();
        return who.sees("b") ? frame("b1") : null;
      }, null);
    });
    assertThat(made).hasValue(2);
    assertThat(framesOf(MANY)).isEmpty();
    assertThat(framesOf(0)).containsExactly("b1");
  }

  @Test
  @DisplayName("Each subscriber is written only the kinds it takes, in its own transport's frame, in the one published order")
  void transports() throws Exception {
    onContext(() -> {
      clients.clear();
      clients.put(0, new Client(ALICE));
      clients.put(1, new Client(ALICE, Set.of(PushKind.STATUS), "tcp"));
      clients.put(2, new Client(ALICE, Set.of(PushKind.STATUS, PushKind.OPERATION), "sockjs"));
      fanOut.status("a", who -> frame("a1"), null);
      fanOut.publish(PushKind.OPERATION, who -> frame("op"));
      fanOut.publish(PushKind.CATALOGUE, who -> frame("list"));
      fanOut.status("a", who -> frame("a2"), null);
    });
    assertThat(framesOf(0)).containsExactly("a1", "op", "list", "a2");
    assertThat(framesOf(1)).containsExactly("tcp:a1", "tcp:a2");
    assertThat(framesOf(2)).containsExactly("sockjs:a1", "sockjs:op", "sockjs:a2");
  }
}
