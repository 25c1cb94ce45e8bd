package io.servicemanager.cli;

import io.servicemanager.cluster.Fleet;
import io.servicemanager.config.ClusterConfig;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** The run command's one door to the fleet code, in a class of its own so that a standalone run never loads it. */
final class FleetMember {
  private FleetMember() {}

  static AutoCloseable join(Vertx local, ClusterConfig cluster) {
    Fleet fleet = Fleet.join(local, cluster).await();
    return () -> fleet.close().await(Shutdown.CLOSE_SECONDS, TimeUnit.SECONDS);
  }
}
