package io.servicemanager.cluster;

import io.servicemanager.config.ClusterConfig;
import io.vertx.core.Vertx;

/**
 * The benchmark's own fleet member: the clustered Vert.x a node runs (Hazelcast join, mutual TLS with
 * a certificate from the fleet CA), without any endpoint, so the bench can listen on fleet addresses
 * as a dashboard's directory does. In this package because {@link FleetVertx} is package-private.
 */
public final class FleetProbe {
  private FleetProbe() {}

  public static Vertx join(ClusterConfig cluster) {
    return FleetVertx.start(cluster, nodeId -> { }).await().vertx();
  }
}
