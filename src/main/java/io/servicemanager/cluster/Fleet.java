package io.servicemanager.cluster;

import io.servicemanager.config.ClusterConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process in the fleet (DESIGN §4). The application keeps running on its own, unclustered Vert.x
 * instance, exactly as standalone: none of its addresses ever leaves the process. A second, clustered
 * instance carries only the fleet's addresses, bridged to the local ones here: the node's endpoint
 * always, the fleet directory on a dashboard node.
 */
public final class Fleet {
  private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);
  private final Vertx fleet;

  private Fleet(Vertx fleet) {
    this.fleet = fleet;
  }

  /** Joins the cluster and starts answering as {@code cluster.node()}; {@code local} runs the application. */
  public static Future<Fleet> join(Vertx local, ClusterConfig cluster) {
    AtomicReference<FleetDirectory> directory = new AtomicReference<>();
    AtomicReference<Context> directoryContext = new AtomicReference<>();
    return FleetVertx.start(cluster, nodeId -> {
          Context context = directoryContext.get();
          if (context != null) {
            context.runOnContext(v -> directory.get().memberLeft(nodeId));
          }
        })
        .compose(joined -> {
          Vertx fleet = joined.vertx();
          NodeEndpoint endpoint = new NodeEndpoint(local, fleet, cluster.node(), joined.nodeId());
          return fleet.deployVerticle(new VerticleBase() {
                @Override
                public Future<?> start() {
                  if (cluster.dashboard()) {
                    FleetDirectory d = new FleetDirectory(local, fleet, cluster.node());
                    d.start();
                    directory.set(d);
                    directoryContext.set(context);
                  }
                  return endpoint.start();
                }
              })
              .map(id -> {
                LOG.info("node {} joined the fleet (Hazelcast {}:{}, members {})", cluster.node(), cluster.host(),
                    cluster.port(), cluster.members());
                return new Fleet(fleet);
              });
        });
  }

  public Future<Void> close() {
    return fleet.close();
  }
}
