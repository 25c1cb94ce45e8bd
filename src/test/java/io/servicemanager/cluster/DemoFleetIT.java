package io.servicemanager.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.testing.TestConfigs;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code service-manager demo --nodes 3} as a user runs it (the packaged jar): three nodes, each on a
 * demo systemd of its own, one dashboard; an action on a node-qualified route runs on that node's
 * systemd; SIGTERM (as Ctrl-C) leaves no process behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoFleetIT {
  private static final List<String> NODES = List.of("game-1", "game-2", "game-3");
  /** Generous: three JVMs, three systemds and Hazelcast start at once on a shared, busy 2-core machine. */
  private static final Duration START = Duration.ofSeconds(420);
  private static final Pattern DASHBOARD = Pattern.compile("dashboard:\\s+http://127\\.0\\.0\\.1:(\\d+)/");
  private static final Pattern LOGIN = Pattern.compile("log in as:\\s+demo / (\\S+)");
  private static final Pattern STATE = Pattern.compile("certificates in (\\S+)/fleet");

  @TempDir static Path dir;
  private static NodeProcess demo;
  private static String base;
  private static String authorization;
  private static Path state;
  /** Each node's demo systemd, as the banner prints it: DBUS_SESSION_BUS_ADDRESS and XDG_RUNTIME_DIR. */
  private static final Map<String, Map<String, String>> environments = new LinkedHashMap<>();
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void startDemo() throws Exception {
    demo = NodeProcess.startJarWith(dir.resolve("demo.log"), "demo", "--nodes", "3", "--port", "0", "--cluster-port", "0");
    for (String node : NODES) {
      demo.await(l -> l.contains("fleet: node " + node + " reachable"), "the dashboard seeing " + node, START);
    }
    base = "http://127.0.0.1:" + match(DASHBOARD, "the dashboard's address").group(1);
    authorization = TestConfigs.basic("demo", match(LOGIN, "the demo login").group(1));
    state = Path.of(match(STATE, "the demo's state folder").group(1));
    for (String node : NODES) {
      Matcher m = match(Pattern.compile(Pattern.quote(node) + ": DBUS_SESSION_BUS_ADDRESS=(\\S+) XDG_RUNTIME_DIR=(\\S+) systemctl"),
          node + "'s systemctl line");
      environments.put(node, Map.of("DBUS_SESSION_BUS_ADDRESS", m.group(1), "XDG_RUNTIME_DIR", m.group(2)));
    }
  }

  @AfterAll
  static void stopDemo() throws Exception {
    if (demo != null) {
      demo.close();
    }
  }

  private static Matcher match(Pattern pattern, String what) throws Exception {
    Matcher m = pattern.matcher(demo.await(l -> pattern.matcher(l).find(), what, START));
    assertThat(m.find()).isTrue();
    return m;
  }

  private static HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", authorization)
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(180)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A property of a unit on one node's demo systemd, read with systemctl as the banner says to. */
  private static String property(String node, String unit, String property) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("systemctl", "--user", "--no-pager", "show", "--property=" + property,
        "--value", "--", unit).redirectErrorStream(true);
    builder.environment().putAll(environments.get(node));
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  @Order(1)
  @DisplayName("/api/nodes lists the three nodes, reachable, each with its own demo services; pzserver is on every one")
  void listsThreeNodes() throws Exception {
    HttpResponse<String> r = send("GET", "/api/nodes");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Map<String, JsonObject> nodes = new LinkedHashMap<>();
    new JsonObject(r.body()).getJsonArray("nodes").forEach(n -> nodes.put(((JsonObject) n).getString("node"), (JsonObject) n));
    assertThat(nodes.keySet()).containsExactlyElementsOf(NODES);
    nodes.values().forEach(n -> assertThat(n.getBoolean("reachable")).as(n.encode()).isTrue());
    assertThat(nodes.get("game-1").getInteger("services")).isEqualTo(4);
    for (String node : NODES) {
      HttpResponse<String> services = send("GET", "/api/nodes/" + node + "/services");
      assertThat(services.statusCode()).as(services.body()).isEqualTo(200);
      List<String> names = new ArrayList<>();
      new JsonObject(services.body()).getJsonArray("services").forEach(v -> {
        assertThat(((JsonObject) v).getString("node")).isEqualTo(node);
        names.add(((JsonObject) v).getString("name"));
      });
      assertThat(names).as(node).contains("pzserver");
      if (!node.equals("game-1")) {
        assertThat(names).as(node).containsExactlyInAnyOrder("pzserver", "chat-bot");
      }
    }
  }

  @Test
  @Order(2)
  @DisplayName("A restart on /api/nodes/game-2/services/pzserver/restart runs on game-2's systemd, and only there")
  void restartsOnOneNode() throws Exception {
    Map<String, String> before = new LinkedHashMap<>();
    for (String node : NODES) {
      before.put(node, property(node, "pzserver.service", "InvocationID"));
    }
    HttpResponse<String> r = send("POST", "/api/nodes/game-2/services/pzserver/restart");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getString("status")).isEqualTo("success");
    assertThat(property("game-2", "pzserver.service", "InvocationID")).isNotEqualTo(before.get("game-2"));
    assertThat(property("game-2", "pzserver.service", "ActiveState")).isEqualTo("active");
    assertThat(property("game-1", "pzserver.service", "InvocationID")).isEqualTo(before.get("game-1"));
    assertThat(property("game-3", "pzserver.service", "InvocationID")).isEqualTo(before.get("game-3"));
  }

  @Test
  @Order(3)
  @DisplayName("SIGTERM, as Ctrl-C, stops every node JVM, every demo systemd and what they ran, and deletes the state folder")
  void stopsEverything() throws Exception {
    List<ProcessHandle> tree = demo.handle().descendants().toList();
    assertThat(tree.stream().filter(p -> p.info().command().orElse("").endsWith("/java"))).as("the other nodes' JVMs").hasSize(2);
    assertThat(tree.stream().filter(p -> p.info().command().orElse("").endsWith("/systemd"))).as("the demo systemds").hasSize(3);
    demo.terminate(Duration.ofSeconds(120));
    for (ProcessHandle p : tree) {
      p.onExit().get(60, TimeUnit.SECONDS);
    }
    assertThat(tree).noneMatch(ProcessHandle::isAlive);
    assertThat(state).doesNotExist();
    for (Map<String, String> env : environments.values()) {
      assertThat(Path.of(env.get("XDG_RUNTIME_DIR"))).doesNotExist();
    }
  }
}
