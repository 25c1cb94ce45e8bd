package io.servicemanager.cli;

import io.servicemanager.config.ClusterConfig;
import io.servicemanager.fleetca.FleetCa;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Makes the fleet's CA (once) and a certificate per node named, for the event bus's mutual TLS. */
@Command(name = "fleet-ca", mixinStandardHelpOptions = true,
    description = "Make the fleet CA in DIR (kept when there) and a certificate and key per NODE (keys 0600).")
public final class FleetCaCommand implements Callable<Integer> {
  @Option(names = "--dir", required = true, description = "Folder of ca.pem, ca.key and NODE.pem/NODE.key.")
  Path dir;

  @Parameters(paramLabel = "NODE", arity = "0..*", description = "Node names (cluster.node) to issue a certificate for.")
  List<String> nodes = List.of();

  @Override
  public Integer call() throws Exception {
    for (String node : nodes) {
      if (!node.matches(ClusterConfig.NODE_PATTERN)) {
        System.err.println("fleet-ca: not a node name: " + node + " (letters, digits, '.', '_' or '-')");
        return RunCommand.INVALID_CONFIG;
      }
    }
    FleetCa ca = FleetCa.openOrCreate(dir);
    System.out.println("CA: " + dir.resolve(FleetCa.CA_CERT) + " (keep " + FleetCa.CA_KEY + " off the nodes)");
    for (String node : nodes) {
      ca.issue(node, dir);
      System.out.println(node + ": " + dir.resolve(node + ".pem") + ", " + dir.resolve(node + ".key"));
    }
    return 0;
  }
}
