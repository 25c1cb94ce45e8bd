package io.servicemanager.cluster;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.auth.Audience;
import io.servicemanager.auth.FleetPatterns;
import io.servicemanager.auth.Identity;
import io.servicemanager.auth.Role;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's journal and resource figures for the fleet's dashboards: {@code servicemanager.<node>.journal},
 * {@code .resources} and {@code .journal.follow}. Each request is checked here, against this node's
 * own services.yaml and the asking identity as this node reads it ({@link FleetPatterns#onNode}),
 * with the same {@link Audience} rule and the same refusal as the local routes, then answered by
 * this node's journal and resources verticles about its own unit.
 *
 * <p>A follow is a lease per dashboard follower and service, which the dashboard renews every
 * {@code NodeLogFollows.RENEW_MS} by asking again; one not renewed for {@link #LEASE_MS} ends. Why a
 * lease rather than watching the cluster's members: a follower can vanish without any member
 * leaving (its "stop" lost while this node was unreachable, a dashboard's HTTP instance gone, a
 * partition that heals); the lease is the one rule that ends every such follow, and a renewal also
 * brings a follow back on this node after it restarted. Runs on the fleet verticle's context.
 */
final class NodeJournal {
  private static final Logger LOG = LoggerFactory.getLogger(NodeJournal.class);
  /** Three missed renewals of the dashboard's ({@code NodeLogFollows.RENEW_MS}). */
  static final long LEASE_MS = 30_000;
  /** Whoever sees every service: what a new catalogue still allows of any follow, identity aside. */
  private static final Identity ANYONE = new Identity("fleet-node", Role.VIEWER, null);
  private final Vertx local;
  private final Vertx fleet;
  private final String node;
  /** By {@link Lease#key}; touched only on {@link #context}. */
  private final Map<String, Lease> leases = new HashMap<>();
  private Context context;

  /** A dashboard follower's follow of one service. */
  private record Lease(String dashboard, String follower, String service, long expiresNanos) {
    static String key(String dashboard, String follower, String service) {
      return dashboard + "\n" + follower + "\n" + service;
    }

    /** The journal verticle's follower for this lease. */
    String localFollower() {
      return "fleet:" + dashboard + ":" + follower;
    }

    Lease renewed() {
      return new Lease(dashboard, follower, service, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEASE_MS));
    }
  }

  NodeJournal(Vertx local, Vertx fleet, String node) {
    this.local = local;
    this.fleet = fleet;
    this.node = node;
  }

  /** Call on the fleet verticle's context. */
  Future<Void> start() {
    context = fleet.getOrCreateContext();
    local.eventBus().<JsonObject>localConsumer(Addresses.JOURNAL_ENTRIES, m -> context.runOnContext(v -> relay(m.body())));
    local.eventBus().<JsonObject>localConsumer(Addresses.CATALOGUE, m -> context.runOnContext(v -> recheck(m.body())));
    fleet.setPeriodic(LEASE_MS / 3, t -> expire());
    return fleet.eventBus().<JsonObject>consumer(Addresses.ofNode(node, Addresses.NODE_JOURNAL),
            m -> answer(m, Addresses.JOURNAL, Audience::logs,
                new JsonObject().put("lines", m.body().getValue("lines")).put("before", m.body().getValue("before"))))
        .completion()
        .compose(v -> fleet.eventBus().<JsonObject>consumer(Addresses.ofNode(node, Addresses.NODE_RESOURCES),
            m -> answer(m, Addresses.RESOURCES, Audience::resources, new JsonObject())).completion())
        .compose(v -> fleet.eventBus().<JsonObject>consumer(Addresses.ofNode(node, Addresses.NODE_JOURNAL_FOLLOW), this::follow)
            .completion());
  }

  /** Starts or renews a lease for an identity that may read the journal; a stop needs no right. */
  private void follow(Message<JsonObject> m) {
    JsonObject body = m.body();
    String dashboard = body.getValue("dashboard") instanceof String d ? d : "";
    String follower = body.getValue("follower") instanceof String f ? f : "";
    String service = body.getValue("service") instanceof String s ? s : "";
    String key = Lease.key(dashboard, follower, service);
    if (!Boolean.TRUE.equals(body.getValue("follow"))) {
      end(key);
      m.reply(new JsonObject());
      return;
    }
    allowed(body, Audience::logs).onComplete(ar -> context.runOnContext(v -> {
      if (ar.failed() || ar.result().getValue("error") != null) {
        m.reply(ar.failed() ? FleetDirectory.failure(ErrorCode.UNAVAILABLE, "status not available on " + node) : ar.result());
        return;
      }
      Lease known = leases.get(key);
      Lease lease = new Lease(dashboard, follower, service, 0).renewed();
      leases.put(key, lease);
      if (known != null) {
        m.reply(new JsonObject());
        return;
      }
      local.eventBus().<JsonObject>request(Addresses.JOURNAL_FOLLOW, new JsonObject().put("service", service)
              .put("unit", ar.result().getString("unit")).put("follower", lease.localFollower()).put("follow", true))
          .onComplete(started -> context.runOnContext(w -> {
            JsonObject answer = started.succeeded() ? started.result().body()
                : FleetDirectory.failure(ErrorCode.UNAVAILABLE, "no answer on " + node + ": " + started.cause().getMessage());
            if (answer.getValue("error") != null) {
              leases.remove(key);
            }
            m.reply(answer);
          }));
    }));
  }

  /** The lease ends, and with the last follower of its service, this node's journalctl. */
  private void end(String key) {
    Lease lease = leases.remove(key);
    if (lease != null) {
      local.eventBus().request(Addresses.JOURNAL_FOLLOW, new JsonObject().put("service", lease.service())
          .put("follower", lease.localFollower()).put("follow", false));
    }
  }

  private void expire() {
    long now = System.nanoTime();
    leases.entrySet().stream().filter(e -> now - e.getValue().expiresNanos() > 0).map(Map.Entry::getKey).toList()
        .forEach(key -> {
          LOG.info("fleet: the journal follow of {} for {} was not renewed: ended", leases.get(key).service(),
              leases.get(key).dashboard());
          end(key);
        });
  }

  /** New entries of a followed service go to each dashboard follower that holds a lease on it. */
  private void relay(JsonObject entries) {
    String service = entries.getString("service");
    boolean ended = entries.getBoolean("ended", false);
    for (Lease lease : List.copyOf(leases.values())) {
      if (!lease.service().equals(service)) {
        continue;
      }
      JsonObject message = new JsonObject().put("node", node).put("service", service).put("follower", lease.follower());
      if (ended) {
        leases.remove(Lease.key(lease.dashboard(), lease.follower(), service));
        message.put("error", ErrorCode.LOGS_UNAVAILABLE.code()).put("message", "the journal stopped answering");
      } else {
        message.put("entries", entries.getJsonArray("entries"));
      }
      fleet.eventBus().send(Addresses.ofNode(lease.dashboard(), Addresses.NODE_JOURNAL_ENTRIES), message);
    }
  }

  /**
   * A new catalogue may take a service away or turn its logs off: those follows end at once, as a
   * local follower's would. What the identity may see is checked again at each renewal.
   */
  private void recheck(JsonObject catalogue) {
    JsonArray views = catalogue.getJsonArray("services", new JsonArray());
    for (Lease lease : List.copyOf(leases.values())) {
      JsonObject view = views.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
          .filter(v -> lease.service().equals(v.getString("name"))).findFirst().orElse(null);
      ErrorCode refused = Audience.of(ANYONE).logs(view);
      if (refused != null) {
        end(Lease.key(lease.dashboard(), lease.follower(), lease.service()));
        fleet.eventBus().send(Addresses.ofNode(lease.dashboard(), Addresses.NODE_JOURNAL_ENTRIES), new JsonObject()
            .put("node", node).put("service", lease.service()).put("follower", lease.follower())
            .put("error", refused.code()).put("message", Audience.refusal(refused, lease.service())));
      }
    }
  }

  /** Asks {@code address} about the service's unit when {@code check} lets the body's identity; else the refusal. */
  private void answer(Message<JsonObject> m, String address, BiFunction<Audience, JsonObject, ErrorCode> check,
      JsonObject question) {
    String service = m.body().getValue("service") instanceof String s ? s : "";
    allowed(m.body(), check).onSuccess(view -> {
      if (view.getValue("error") != null) {
        m.reply(view);
        return;
      }
      local.eventBus().<JsonObject>request(address, question.put("unit", view.getString("unit")))
          .onSuccess(reply -> m.reply(reply.body().getValue("error") != null ? reply.body() : reply.body().put("service", service)))
          .onFailure(e -> m.reply(FleetDirectory.failure(ErrorCode.UNAVAILABLE, "no answer on " + node + ": " + e.getMessage())));
    }).onFailure(e -> m.reply(FleetDirectory.failure(ErrorCode.UNAVAILABLE, "status not available on " + node)));
  }

  /**
   * The full local view of the body's service when {@code check} lets the body's identity (as this
   * node reads it) have it; otherwise the refusal, as {"error", "message"}. An identity that is not
   * well formed knows no service here.
   */
  Future<JsonObject> allowed(JsonObject body, BiFunction<Audience, JsonObject, ErrorCode> check) {
    Identity asked = Identity.fromJson(body.getValue("identity")).orElse(null);
    String service = body.getValue("service") instanceof String s ? s : "";
    String dashboard = body.getValue("dashboard") instanceof String d ? d : "";
    return NodeEndpoint.localViews(local).map(views -> {
      JsonObject view = views.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
          .filter(v -> service.equals(v.getString("name"))).findFirst().orElse(null);
      ErrorCode refused = asked == null || view == null ? ErrorCode.UNKNOWN_SERVICE
          : check.apply(Audience.of(FleetPatterns.onNode(asked, dashboard, node, NodeEndpoint.names(views))), view);
      return refused == null ? view : FleetDirectory.failure(refused, Audience.refusal(refused, service));
    });
  }
}
