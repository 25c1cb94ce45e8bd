package io.servicemanager.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.servicemanager.Addresses;
import io.servicemanager.config.NotificationTarget;
import io.servicemanager.config.NotificationTarget.Event;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.metrics.MetricNames;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Webhooks (config.yaml {@code notifications:}). Listens to {@code servicemanager.status} and
 * {@code servicemanager.operation} and only queues there: delivery, retries and back-off happen per
 * target in {@link Webhook}, so a slow or dead receiver never holds up the status path.
 *
 * <ul>
 *   <li>a status notification goes out when a service settles in a new state (active, inactive,
 *       failed, error) — not for transitions, repeated views or the first state learned after start;
 *   <li>an operation notification goes out for every finished action;
 *   <li>services whose status is hidden are never notified about, whatever the event; the catalogue
 *       follows live reloads of the services file ({@code servicemanager.config}).
 * </ul>
 *
 * The targets themselves are read at start; changing them needs a restart.
 */
public final class NotificationVerticle extends VerticleBase {
  private static final Set<String> SETTLED = Set.of("active", "inactive", "failed", "error");

  private final List<NotificationTarget> targets;
  private final MeterRegistry registry;
  private final RetryPolicy policy;
  private ServiceCatalogue catalogue;
  private final Map<String, String> settled = new HashMap<>();
  private List<Webhook> webhooks;
  private WebClient client;

  public NotificationVerticle(List<NotificationTarget> targets, ServiceCatalogue catalogue, MeterRegistry registry) {
    this(targets, catalogue, registry, RetryPolicy.DEFAULT);
  }

  NotificationVerticle(List<NotificationTarget> targets, ServiceCatalogue catalogue, MeterRegistry registry,
      RetryPolicy policy) {
    this.targets = List.copyOf(targets);
    this.catalogue = catalogue;
    this.registry = registry;
    this.policy = policy;
  }

  @Override
  public Future<?> start() {
    webhooks = List.of();
    if (targets.isEmpty()) {
      // No web client (nor its classes) for a configuration without webhooks: footprint.
      return Future.succeededFuture();
    }
    client = WebClient.create(vertx, new WebClientOptions()
        .setConnectTimeout((int) policy.requestTimeoutMs())
        .setUserAgent("service-manager"));
    List<Webhook> all = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      all.add(new Webhook(vertx, client, targets.get(i), policy, counters(i)));
    }
    webhooks = List.copyOf(all);
    vertx.eventBus().<JsonObject>consumer(Addresses.STATUS, m -> status(m.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.OPERATION, m -> operation(m.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG, m -> {
      if (m.body().containsKey("services")) {
        catalogue = ServiceCatalogue.fromJson(m.body());
        settled.keySet().removeIf(name -> !visible(name));
      }
    });
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (client != null) {
      client.close();
    }
    return Future.succeededFuture();
  }

  /**
   * A target is labelled by its place in the notifications list, as in configuration errors
   * ({@code notifications[2]}): its URL would put a Discord or Slack secret into the metrics.
   */
  private Webhook.Counters counters(int index) {
    String target = Integer.toString(index);
    return new Webhook.Counters(delivery(target, "ok"), delivery(target, "failed"), delivery(target, "dropped"),
        Counter.builder(MetricNames.WEBHOOK_RETRIES)
            .description("Webhook attempts that failed and were tried again")
            .tag(MetricNames.TAG_TARGET, target)
            .register(registry));
  }

  private Counter delivery(String target, String result) {
    return Counter.builder(MetricNames.WEBHOOK_DELIVERIES)
        .description("Webhook notifications by how they ended: ok, failed (after retries) or dropped (queue full)")
        .tag(MetricNames.TAG_TARGET, target)
        .tag(MetricNames.TAG_RESULT, result)
        .register(registry);
  }

  private void status(JsonObject view) {
    String name = view.getString("name");
    String status = view.getString("status");
    if (!visible(name) || !SETTLED.contains(status)) {
      return;
    }
    String before = settled.put(name, status);
    if (before == null || before.equals(status)) {
      return;
    }
    for (Webhook webhook : webhooks) {
      if (webhook.target().wants(Event.STATUS, name)) {
        webhook.send(Messages.status(webhook.target().format(), view));
      }
    }
  }

  private void operation(JsonObject record) {
    String name = record.getString("service");
    if (!visible(name)) {
      return;
    }
    for (Webhook webhook : webhooks) {
      if (webhook.target().wants(Event.OPERATION, name)) {
        webhook.send(Messages.operation(webhook.target().format(), record));
      }
    }
  }

  private boolean visible(String name) {
    return catalogue.find(name).map(ServiceDefinition::statusCheckAllowed).orElse(false);
  }
}
