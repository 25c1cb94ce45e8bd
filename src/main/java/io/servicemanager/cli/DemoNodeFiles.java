package io.servicemanager.cli;

import io.servicemanager.sandbox.SystemdSandbox;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A demo fleet node's folder: its config.yaml (the {@code cluster} key of README "Fleet", pointing at
 * its own demo systemd) and a copy of its sandbox's services.yaml; state goes in {@code data/}.
 */
final class DemoNodeFiles {
  private DemoNodeFiles() {}

  /**
   * @param index the node's place in {@code hazelcastPorts}; node 0 serves the dashboard
   * @return the config.yaml written
   */
  static Path write(Path dir, String node, int httpPort, String httpHost, SystemdSandbox sandbox, Path certs,
      List<Integer> hazelcastPorts, int index) throws IOException {
    Files.createDirectories(dir.resolve("data"));
    Files.copy(sandbox.demoServicesFile(), dir.resolve("services.yaml"));
    JsonArray members = new JsonArray();
    hazelcastPorts.forEach(p -> members.add(DemoFleet.CLUSTER_HOST + ":" + p));
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("host", httpHost).put("port", httpPort))
        .put("systemd", new JsonObject().put("bus", sandbox.busAddress()))
        .put("history_file", "data/history.jsonl")
        .put("insight", new JsonObject().put("database", "data/servicemanager.db"))
        .put("config_history", new JsonObject().put("dir", "data/config-history"))
        .put("auth", new JsonObject().put("secret_file", "data/secret.key"))
        .put("cluster", new JsonObject().put("node", node).put("host", DemoFleet.CLUSTER_HOST)
            .put("port", hazelcastPorts.get(index)).put("members", members).put("dashboard", index == 0)
            .put("eventbus", new JsonObject().put("host", DemoFleet.CLUSTER_HOST).put("port", 0)
                .put("tls", new JsonObject().put("cert", certs.resolve(node + ".pem").toString())
                    .put("key", certs.resolve(node + ".key").toString()).put("ca", certs.resolve("ca.pem").toString()))));
    Path file = dir.resolve("config.yaml");
    // JSON is YAML: no quoting rules to get wrong for the paths.
    Files.writeString(file, "# Made by `service-manager demo --nodes N` for this run only.\n" + config.encodePrettily() + "\n");
    return file;
  }
}
