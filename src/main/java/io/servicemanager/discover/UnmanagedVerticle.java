package io.servicemanager.discover;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.systemd.SystemdClient;
import io.servicemanager.systemd.UnitInfo;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service units that exist but are not configured, each with the services.yaml entry to paste
 * (at {@code restart}, the least privilege): read from systemd when asked, never on a timer
 * (DESIGN §2). Answers {@link Addresses#UNMANAGED}; follows {@code servicemanager.config} for the
 * catalogue in force. Who may ask is decided before ({@link io.servicemanager.auth.Audience#configuration}).
 */
public final class UnmanagedVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(UnmanagedVerticle.class);
  private final SystemdClient systemd;
  private ServiceCatalogue catalogue;

  /** @param systemd a client connected elsewhere */
  public UnmanagedVerticle(SystemdClient systemd, ServiceCatalogue catalogue) {
    this.systemd = systemd;
    this.catalogue = catalogue;
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG, m -> {
      if (m.body().containsKey("services")) {
        catalogue = ServiceCatalogue.fromJson(m.body());
      }
    });
    return vertx.eventBus().consumer(Addresses.UNMANAGED, this::read).completion();
  }

  private void read(Message<JsonObject> m) {
    boolean includeSystem = m.body() != null && Boolean.TRUE.equals(m.body().getValue("include_system"));
    List<String> configured = catalogue.all().stream().map(ServiceDefinition::unit).toList();
    systemd.listServices()
        .onSuccess(units -> {
          JsonArray found = new JsonArray();
          for (UnitInfo unit : Candidates.of(List.of(), includeSystem, new ArrayList<>()).select(units, configured)) {
            ServiceEntry entry = ServiceEntry.of(unit, Permission.RESTART);
            found.add(new JsonObject().put("unit", unit.unit()).put("name", entry.name())
                .put("description", unit.description()).put("active_state", unit.activeState())
                .put("yaml", entry.snippet()));
          }
          m.reply(new JsonObject().put("units", found));
        })
        .onFailure(e -> {
          LOG.debug("listing the units failed: {}", e.toString());
          m.reply(new JsonObject().put("error", ErrorCode.BUS_UNAVAILABLE.code())
              .put("message", "systemd did not answer: " + e.getMessage()));
        });
  }
}
