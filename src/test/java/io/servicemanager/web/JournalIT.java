package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.journal.JournalCommand;
import io.servicemanager.sandbox.SystemdSandbox;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.servicemanager.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The journal and the resource figures on a real systemd whose sandbox runs its own journald
 * (DESIGN §6): REST tail with paging, live follow over /ws with one journalctl per unit, refusals
 * for hidden and logs_allowed:false services, and a journal that cannot be reached. Every REST
 * answer is checked against openapi.yaml.
 */
@DisplayName("The journal and resources of a service")
class JournalIT {
  static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withJournal()
      .withUnit("talker.service", "[Service]\n"
          + "ExecStart=/bin/sh -c 'i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.3; done'\n")
      .withUnit("printer.service", "[Service]\nType=oneshot\n"
          + "ExecStart=/bin/sh -c 'for i in 1 2 3 4 5; do echo printed-$i; done'\n")
      .withUnit("secret.service", "[Service]\nExecStart=/bin/sh -c 'echo secret-line; sleep 400'\n")
      .withUnit("quiet.service", "[Service]\nExecStart=/bin/sh -c 'echo quiet-line; sleep 400'\n")
      .withUnit("failing.service", "[Service]\nExecStart=/bin/sh -c 'echo last-words-1; echo last-words-2; exit 3'\n");

  static Vertx vertx;
  static Application app;
  static WebClient http;
  static DocumentedResponses documented;
  static final String LOGS = "/api/services/{name}/logs";
  static final String RESOURCES = "/api/services/{name}/resources";

  static ServiceCatalogue catalogue() {
    return new ServiceCatalogue(List.of(
        new ServiceDefinition("talker", "talker.service", "Talker", "ticks", Permission.ALL, true, true, false),
        new ServiceDefinition("printer", "printer.service", "Printer", "prints", Permission.ALL, true, true, false),
        new ServiceDefinition("secret", "secret.service", "Secret", "hidden", Permission.ALL, false, true, false),
        new ServiceDefinition("quiet", "quiet.service", "Quiet", "no logs", Permission.ALL, true, false, false),
        new ServiceDefinition("failing", "failing.service", "Failing", "exits at once", Permission.ALL, true, true,
            false)));
  }

  @BeforeAll
  static void start() throws Exception {
    SystemdSandbox sandbox = systemd.sandbox();
    sandbox.systemctlOk("start", "talker.service", "printer.service", "secret.service", "quiet.service");
    awaitInJournal("printed-5");
    vertx = Vertx.vertx();
    app = Application.deploy(vertx, TestConfigs.forBus(systemd.busAddress()), catalogue(),
        new JournalCommand(sandbox.journalCommandPrefix())).await();
    http = TestConfigs.client(vertx);
    documented = new DocumentedResponses(get("/api/openapi.yaml").bodyAsString());
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  /** Waits (bounded) until a line containing {@code text} is in the sandbox's journal. */
  static void awaitInJournal(String text) throws Exception {
    systemd.awaitInJournal(line -> line.contains(text), text, WAIT);
  }

  static HttpResponse<Buffer> get(String uri) {
    return http.get(app.httpPort(), "127.0.0.1", uri).send().await();
  }

  static List<String> messages(JsonArray entries) {
    return entries.stream().map(JsonObject.class::cast).map(e -> e.getString("message")).collect(Collectors.toList());
  }

  /** journalctl processes following the talker unit, by their command lines. */
  static List<ProcessHandle> talkerFollowers() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("journalctl") && c.contains("--follow")
            && c.contains("app.slice/talker.service")).orElse(false))
        .collect(Collectors.toList());
  }

  @Test
  @DisplayName("GET logs returns the newest lines of a unit that printed them, oldest first, and pages back with before")
  void tailAndPage() {
    HttpResponse<Buffer> newest = get("/api/services/printer/logs?lines=3");

    assertThat(newest.statusCode()).as(newest.bodyAsString()).isEqualTo(200);
    documented.check("get", LOGS, newest);
    JsonArray entries = newest.bodyAsJsonObject().getJsonArray("entries");
    assertThat(messages(entries)).containsExactly("printed-3", "printed-4", "printed-5");
    JsonObject first = entries.getJsonObject(0);
    assertThat(first.getString("at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(first.getInteger("priority")).isEqualTo(6);
    assertThat(first.getLong("pid")).isPositive();
    assertThat(first.getString("cursor")).isNotBlank();

    HttpResponse<Buffer> older = get("/api/services/printer/logs?lines=2&before="
        + java.net.URLEncoder.encode(first.getString("cursor"), StandardCharsets.UTF_8));
    assertThat(older.statusCode()).as(older.bodyAsString()).isEqualTo(200);
    assertThat(messages(older.bodyAsJsonObject().getJsonArray("entries"))).containsExactly("printed-1", "printed-2");
  }

  @Test
  @DisplayName("the last words of a process that exited before journald read them are still the unit's")
  void linesJournaldCouldNotGiveAGroup() throws Exception {
    ProcessHandle journald = ProcessHandle.of(systemd.sandbox().managerPid()).orElseThrow().children()
        .filter(p -> p.info().command().orElse("").endsWith("systemd-journald")).findFirst().orElseThrow();
    signal("STOP", journald); // journald handles the lines only once the process is gone
    try {
      systemd.sandbox().systemctl("start", "failing.service");
      systemd.sandbox().awaitActiveState("failing.service", "failed", WAIT);
    } finally {
      signal("CONT", journald);
    }
    awaitInJournal("last-words-2");
    assertThat(systemd.sandbox().journal("--output=json", "MESSAGE=last-words-1").stdout())
        .as("journald knew no control group for the line").contains("last-words-1").doesNotContain("_SYSTEMD_CGROUP");

    HttpResponse<Buffer> answer = get("/api/services/failing/logs?lines=5");

    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    assertThat(messages(answer.bodyAsJsonObject().getJsonArray("entries")))
        .containsSubsequence("last-words-1", "last-words-2");
  }

  static void signal(String signal, ProcessHandle process) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start()
        .waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
  }

  @Test
  @DisplayName("bad lines and before are refused with 400 naming the parameter")
  void badParameters() {
    for (String query : List.of("lines=0", "lines=1001", "lines=ten", "lines=5&lines=6")) {
      HttpResponse<Buffer> answer = get("/api/services/printer/logs?" + query);
      assertThat(answer.statusCode()).as(query).isEqualTo(400);
      documented.check("get", LOGS, answer);
      assertThat(answer.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
      assertThat(answer.bodyAsJsonObject().getString("message")).as(query).contains("lines");
    }
    HttpResponse<Buffer> cursor = get("/api/services/printer/logs?before=not%20a%20cursor");
    assertThat(cursor.statusCode()).isEqualTo(400);
    assertThat(cursor.bodyAsJsonObject().getString("message")).contains("before");
  }

  @Test
  @DisplayName("a hidden service and a logs_allowed:false service are refused over REST, an unknown one is 404")
  void refusedOverRest() {
    for (String service : List.of("secret", "quiet")) {
      HttpResponse<Buffer> answer = get("/api/services/" + service + "/logs");
      assertThat(answer.statusCode()).as(service).isEqualTo(403);
      documented.check("get", LOGS, answer);
      assertThat(answer.bodyAsJsonObject().getString("error")).isEqualTo("logs_not_allowed");
      assertThat(answer.bodyAsString()).doesNotContain("secret-line", "quiet-line");
    }
    assertThat(get("/api/services/nope/logs").statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("a hidden service and a logs_allowed:false service are refused over /ws")
  void refusedOverWs() {
    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      for (String service : List.of("secret", "quiet")) {
        ws.send(new JsonObject().put("type", "logs").put("service", service).put("follow", true));
        JsonObject error = ws.await(f -> "error".equals(f.getString("type")) && service.equals(f.getString("service")),
            WAIT);
        assertThat(error.getString("code")).isEqualTo("logs_not_allowed");
      }
      ws.send(new JsonObject().put("type", "logs").put("service", "nope").put("follow", false));
      assertThat(ws.await(f -> "error".equals(f.getString("type")) && "nope".equals(f.getString("service")), WAIT)
          .getString("code")).isEqualTo("unknown_service");
      assertThat(ws.allReceived()).noneMatch(f -> "log".equals(f.getString("type")));
    }
  }

  @Test
  @DisplayName("a /ws follower gets the newest lines, then a new line as the unit prints it")
  void liveFollow() {
    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      ws.send(new JsonObject().put("type", "logs").put("service", "talker").put("follow", true));
      JsonObject tail = ws.await(f -> "log".equals(f.getString("type")) && "talker".equals(f.getString("service")),
          WAIT);
      Set<String> seen = tail.getJsonArray("entries").stream().map(JsonObject.class::cast)
          .map(e -> e.getString("cursor")).collect(Collectors.toSet());
      assertThat(messages(tail.getJsonArray("entries"))).isNotEmpty().allMatch(m -> m.startsWith("tick-"));

      JsonObject live = ws.await(f -> "log".equals(f.getString("type")) && "talker".equals(f.getString("service")),
          WAIT);
      assertThat(live.getJsonArray("entries")).isNotEmpty();
      assertThat(live.getJsonArray("entries").stream().map(JsonObject.class::cast))
          .allMatch(e -> e.getString("message").startsWith("tick-") && !seen.contains(e.getString("cursor")));
    }
  }

  @Test
  @DisplayName("two clients following one unit share one journalctl, which stops when both have left")
  void followersShareOneProcess() throws Exception {
    WsClient one = WsClient.connect(vertx, app.httpPort());
    WsClient two = WsClient.connect(vertx, app.httpPort());
    try {
      for (WsClient ws : List.of(one, two)) {
        ws.send(new JsonObject().put("type", "logs").put("service", "talker").put("follow", true));
        ws.await(f -> "log".equals(f.getString("type")), WAIT);
      }
      // both are live: each gets a frame of new lines
      one.await(f -> "log".equals(f.getString("type")), WAIT);
      two.await(f -> "log".equals(f.getString("type")), WAIT);
      List<ProcessHandle> followers = talkerFollowers();
      assertThat(followers).hasSize(1);

      one.close();
      two.close();
      followers.get(0).onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(talkerFollowers()).isEmpty();
    } finally {
      one.close();
      two.close();
    }
  }

  @Test
  @DisplayName("a follower is told and dropped when a reload of services.yaml turns the service's logs_allowed off,"
      + " and its journalctl stops")
  void reloadTakesTheRightAway() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sm-journal-reload-");
    String allowed = "services:\n  talker:\n    display_name: Talker\n    description: ticks\n    permissions_required: all\n    status_check_allowed: true\n"
        + "    logs_allowed: true\n";
    java.nio.file.Path services = java.nio.file.Files.writeString(dir.resolve("services.yaml"), allowed);
    Vertx own = Vertx.vertx();
    try {
      AppConfig config = TestConfigs.forBus(systemd.busAddress()).with(b -> b.servicesFile = services);
      TestConfigs.writeUsers(config.auth().usersFile());
      var catalogue = io.servicemanager.config.ConfigLoader.loadServices(own, services).await();
      Application other = Application.deploy(own, config, catalogue,
          new JournalCommand(systemd.sandbox().journalCommandPrefix())).await();
      try (WsClient ws = WsClient.connect(own, other.httpPort())) {
        ws.send(new JsonObject().put("type", "logs").put("service", "talker").put("follow", true));
        ws.await(f -> "log".equals(f.getString("type")), WAIT);
        ws.await(f -> "log".equals(f.getString("type")), WAIT); // live
        List<ProcessHandle> before = talkerFollowers();

        java.nio.file.Files.writeString(services, allowed.replace("logs_allowed: true", "logs_allowed: false"));

        JsonObject refused = ws.await(f -> "error".equals(f.getString("type")) && "talker".equals(f.getString("service")),
            WAIT);
        assertThat(refused.getString("code")).isEqualTo("logs_not_allowed");
        for (ProcessHandle follower : before) {
          follower.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(before).isNotEmpty();
      }
    } finally {
      own.close().await();
    }
  }

  @Test
  @DisplayName("resources returns MemoryCurrent, CPUUsageNSec and TasksCurrent of a running unit, and nothing of a hidden one")
  void resources() {
    HttpResponse<Buffer> answer = get("/api/services/talker/resources");

    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    documented.check("get", RESOURCES, answer);
    JsonObject figures = answer.bodyAsJsonObject();
    assertThat(figures.getString("service")).isEqualTo("talker");
    assertThat(figures.getLong("memory_current")).as(figures.encode()).isPositive();
    // null where the CPU controller is not delegated to the manager's subtree (as in this sandbox)
    assertThat(figures.containsKey("cpu_usage_nsec")).isTrue();
    assertThat(figures.getValue("cpu_usage_nsec")).satisfiesAnyOf(
        cpu -> assertThat(cpu).isNull(), cpu -> assertThat((Long) cpu).isNotNegative());
    assertThat(figures.getLong("tasks_current")).isGreaterThanOrEqualTo(1);

    HttpResponse<Buffer> hidden = get("/api/services/secret/resources");
    assertThat(hidden.statusCode()).isEqualTo(403);
    documented.check("get", RESOURCES, hidden);
    assertThat(hidden.bodyAsJsonObject().getString("error")).isEqualTo("state_hidden");
    assertThat(hidden.bodyAsJsonObject().containsKey("memory_current")).isFalse();
    assertThat(get("/api/services/nope/resources").statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("a journal that cannot be reached (no such namespace, or journalctl hanging) answers logs_unavailable quickly")
  void unavailable() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    assertUnavailable(List.of("nsenter", "-t", Long.toString(gone.pid()), "-m", "--"));
    assertUnavailable(List.of("sh", "-c", "sleep 120", "hanging-journal"));
  }

  private void assertUnavailable(List<String> prefix) {
    Vertx own = Vertx.vertx();
    try {
      AppConfig config = TestConfigs.forBus(systemd.busAddress());
      Application other = Application.deploy(own, config, catalogue(), new JournalCommand(prefix)).await();
      WebClient client = TestConfigs.client(own);
      long started = System.nanoTime();
      HttpResponse<Buffer> answer = client.get(other.httpPort(), "127.0.0.1", "/api/services/printer/logs").send().await();
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

      assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(503);
      documented.check("get", LOGS, answer);
      assertThat(answer.bodyAsJsonObject().getString("error")).isEqualTo("logs_unavailable");
      assertThat(tookMs).as("answered in %d ms", tookMs).isLessThan(20_000);

      try (WsClient ws = WsClient.connect(own, other.httpPort())) {
        ws.send(new JsonObject().put("type", "logs").put("service", "printer").put("follow", true));
        assertThat(ws.await(f -> "error".equals(f.getString("type")), WAIT).getString("code"))
            .isEqualTo("logs_unavailable");
      }
    } finally {
      own.close().await();
    }
  }
}
