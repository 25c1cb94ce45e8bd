package io.servicemanager.resources;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.systemd.SystemdClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A unit's resource figures, read from systemd when asked and never on a timer (DESIGN §2). Answers
 * {@link Addresses#RESOURCES}; who may ask about which service is decided before
 * ({@link io.servicemanager.auth.Audience#resources}).
 */
public final class ResourcesVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ResourcesVerticle.class);
  private final SystemdClient systemd;

  /** @param systemd a client connected elsewhere */
  public ResourcesVerticle(SystemdClient systemd) {
    this.systemd = systemd;
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<JsonObject>consumer(Addresses.RESOURCES, this::read);
    return Future.succeededFuture();
  }

  private void read(Message<JsonObject> m) {
    String unit = m.body().getString("unit");
    systemd.readCgroup(unit)
        .onSuccess(c -> m.reply(new JsonObject()
            .put("memory_current", c.memoryCurrent())
            .put("cpu_usage_nsec", c.cpuUsageNSec())
            .put("tasks_current", c.tasksCurrent())))
        .onFailure(e -> {
          LOG.debug("reading the resources of {} failed: {}", unit, e.toString());
          m.reply(new JsonObject().put("error", ErrorCode.BUS_UNAVAILABLE.code())
              .put("message", "systemd did not answer: " + e.getMessage()));
        });
  }
}
