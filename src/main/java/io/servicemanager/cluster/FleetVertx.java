package io.servicemanager.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.servicemanager.config.ClusterConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.function.Consumer;

/**
 * The clustered Vert.x instance that carries a node's fleet traffic: Hazelcast for membership
 * (TCP-IP join from the configured members, no multicast, no auto-detection) and the event bus over
 * mutual TLS that trusts only the fleet CA. The only class that names Hazelcast: a standalone server
 * never loads it.
 */
final class FleetVertx {
  /** Hazelcast groups members by cluster name: a node of another product on the same port never joins. */
  static final String CLUSTER_NAME = "service-manager";
  /** Hazelcast's heartbeat: a member silent this long is removed (its own default is 60 s). */
  static final String NO_HEARTBEAT_SECONDS = "5";

  private FleetVertx() {}

  /** The clustered instance and this member's id; {@code memberLeft} hears the id of each member that leaves. */
  record Joined(Vertx vertx, String nodeId) {}

  static Future<Joined> start(ClusterConfig cluster, Consumer<String> memberLeft) {
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast(cluster));
    return Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(eventBus(cluster)))
        .withClusterManager(manager)
        .buildClustered()
        .map(vertx -> {
          manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {}

            @Override
            public void memberRemoved(MembershipEvent event) {
              memberLeft.accept(event.getMember().getUuid().toString());
            }
          });
          return new Joined(vertx, manager.getNodeId());
        });
  }

  /** Vert.x's own defaults (its maps and multimaps) with our network: bound to one address, joined by list. */
  static Config hazelcast(ClusterConfig cluster) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(CLUSTER_NAME);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", NO_HEARTBEAT_SECONDS);
    config.getNetworkConfig().setPort(cluster.port()).setPortAutoIncrement(false).setPublicAddress(cluster.host() + ":" + cluster.port());
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(cluster.host());
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember(cluster.host() + ":" + cluster.port());
    cluster.members().forEach(join.getTcpIpConfig()::addMember);
    return config;
  }

  /** Mutual TLS: each end shows a certificate from the fleet CA and accepts only one from it. */
  static EventBusOptions eventBus(ClusterConfig cluster) {
    return new EventBusOptions()
        .setHost(cluster.eventBusHost())
        .setPort(cluster.eventBusPort())
        .setClusterPublicHost(cluster.eventBusHost())
        .setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cluster.cert().toString()).setKeyPath(cluster.key().toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(cluster.ca().toString()))
        .setClientAuth(ClientAuth.REQUIRED);
  }
}
