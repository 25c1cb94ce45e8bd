package io.servicemanager.config;

import java.nio.file.Path;
import java.util.List;

/**
 * config.yaml's {@code cluster} key (DESIGN §4): this node's place in the fleet. Plain data: reading it
 * loads no cluster library; only {@code io.servicemanager.cluster} does, and only when this is present.
 *
 * @param node this node's name in addresses ({@code servicemanager.<node>.action}) and views
 * @param host the address Hazelcast binds and is reached at
 * @param port Hazelcast's port
 * @param members the other members' {@code host:port}, joined over TCP-IP
 * @param eventBusHost the address the event bus listens on and advertises
 * @param eventBusPort 0: a free port
 * @param cert this node's PEM certificate, signed by the fleet CA
 * @param key its PEM private key
 * @param ca the fleet CA's PEM certificate, the only issuer trusted
 * @param dashboard whether this node serves HTTP
 */
public record ClusterConfig(String node, String host, int port, List<String> members, String eventBusHost,
    int eventBusPort, Path cert, Path key, Path ca, boolean dashboard) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;
  /** What a node name may be: safe in an address, a URL path segment and a users.yaml pattern. */
  public static final String NODE_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0,62}";

  public ClusterConfig {
    members = List.copyOf(members);
  }
}
