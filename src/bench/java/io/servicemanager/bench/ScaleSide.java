package io.servicemanager.bench;

import io.servicemanager.Addresses;
import io.servicemanager.Application;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * One side of {@code scripts/bench-scale} ({@link ScaleBench}), in a JVM of its own whose class path
 * holds one build's jar: deploys that build in-process against a sandbox's bus with N active
 * {@code scale@} instances and prints one {@code RESULT {json}} line. Uses only API both the base and
 * the new build have ({@code Application.deploy}, {@code Addresses.STATUS}), and judges a view complete
 * by its fields alone: a state, and for a running unit its {@code since} and {@code main_pid}.
 */
public final class ScaleSide {
  /** Services of the first screen: a desktop dashboard shows a few dozen cards. */
  static final int SCREEN = 60;
  private static final long TIMEOUT_S = 600;

  private ScaleSide() {}

  public static void main(String[] args) throws Exception {
    String bus = args[0];
    int n = Integer.parseInt(args[1]);
    int idleSeconds = Integer.parseInt(args[2]);
    // The sandbox's systemd and dbus-daemon, for their CPU from deploy to every view complete.
    long managerPid = args.length > 4 ? Long.parseLong(args[3]) : -1;
    long busPid = args.length > 4 ? Long.parseLong(args[4]) : -1;
    List<ServiceDefinition> services = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      services.add(new ServiceDefinition("scale@" + i, "scale@" + i + ".service", "scale@" + i, "benchmark instance",
          Permission.ALL, true));
    }
    ServiceCatalogue catalogue = new ServiceCatalogue(services);
    JsonObject result = new JsonObject().put("units", n);
    Vertx vertx = Vertx.vertx();
    try (AppFiles files = AppFiles.create(catalogue)) {
      Progress progress = new Progress(n, managerPid, busPid);
      vertx.eventBus().<JsonObject>consumer(Addresses.STATUS, m -> progress.seen(m.body())).completion().await();
      long jvm0 = ProcessStats.jvmCpuNanos();
      long sd0 = managerPid > 0 ? ProcessStats.cpuMillis(managerPid) : 0;
      long db0 = busPid > 0 ? ProcessStats.cpuMillis(busPid) : 0;
      long t0 = System.nanoTime();
      Application app = Application.deploy(vertx, files.config(bus), catalogue).await();
      long deployed = System.nanoTime();
      progress.complete.get(TIMEOUT_S, TimeUnit.SECONDS);
      result.put("jvm_cpu_ms", (progress.cpuAtComplete[0] - jvm0) / 1_000_000);
      // The details' window: from every state published to every view complete.
      result.put("details_jvm_cpu_ms", (progress.cpuAtComplete[0] - progress.cpuAtStates[0]) / 1_000_000);
      if (managerPid > 0) {
        result.put("systemd_cpu_ms", progress.cpuAtComplete[1] - sd0)
            .put("dbus_cpu_ms", progress.cpuAtComplete[2] - db0)
            .put("details_systemd_cpu_ms", progress.cpuAtComplete[1] - progress.cpuAtStates[1])
            .put("details_dbus_cpu_ms", progress.cpuAtComplete[2] - progress.cpuAtStates[2]);
      }
      result.put("deploy_ms", Stats.ms(deployed - t0))
          .put("first_state_ms", Stats.ms(progress.firstState - t0))
          .put("all_states_ms", Stats.ms(progress.allStates - t0))
          .put("first_screen_ms", Stats.ms(progress.screen - t0))
          .put("complete_ms", Stats.ms(progress.completeAt - t0))
          .put("events", progress.events);
      int port = app.httpPort();
      snapshotSizes(port, result);
      if (idleSeconds > 0) {
        try (BusMonitor monitor = BusMonitor.start(bus)) {
          monitor.awaitReady(Duration.ofSeconds(10));
          Thread.sleep(1_000);
          long from = IdleBench.micros();
          Thread.sleep(idleSeconds * 1000L);
          result.put("idle_s", idleSeconds).put("idle_messages", monitor.stop(from, IdleBench.micros()).size());
        }
      }
    } finally {
      vertx.close().await();
    }
    System.out.println("RESULT " + result.encode());
    System.exit(0);
  }

  /** Counts views until every service has a complete one; the times are System.nanoTime(). */
  private static final class Progress {
    final CompletableFuture<Void> complete = new CompletableFuture<>();
    final Map<String, Boolean> done = new HashMap<>();
    final int n;
    final long managerPid;
    final long busPid;
    /** JVM CPU (ns), systemd and dbus-daemon CPU (ms) when every state was out, and when every view was complete. */
    long[] cpuAtStates = new long[3];
    long[] cpuAtComplete = new long[3];
    int stated;
    int completed;
    int screenDone;
    int events;
    long firstState;
    long allStates;
    long screen;
    long completeAt;

    Progress(int n, long managerPid, long busPid) {
      this.n = n;
      this.managerPid = managerPid;
      this.busPid = busPid;
    }

    private long[] cpu() {
      return new long[] {ProcessStats.jvmCpuNanos(), managerPid > 0 ? ProcessStats.cpuMillis(managerPid) : 0,
          busPid > 0 ? ProcessStats.cpuMillis(busPid) : 0};
    }

    synchronized void seen(JsonObject view) {
      events++;
      String status = view.getString("status");
      if (status == null || "checking".equals(status)) {
        return;
      }
      long now = System.nanoTime();
      String name = view.getString("name");
      if (firstState == 0) {
        firstState = now;
      }
      Boolean was = done.get(name);
      if (was == null) {
        stated++;
        if (stated == n) {
          allStates = now;
          cpuAtStates = cpu();
        }
      }
      boolean full = switch (status) {
        // An exited oneshot (RemainAfterExit) has no main PID to show.
        case "active", "reloading", "deactivating" -> view.getValue("since") != null
            && (view.getValue("main_pid") != null || "exited".equals(view.getString("sub_state")));
        case "failed" -> view.getValue("since") != null;
        default -> true;
      };
      done.put(name, full);
      if (full && !Boolean.TRUE.equals(was)) {
        completed++;
        if (Integer.parseInt(name.substring("scale@".length())) <= SCREEN && ++screenDone == Math.min(SCREEN, n)) {
          screen = now;
        }
        if (completed == n) {
          completeAt = now;
          cpuAtComplete = cpu();
          complete.complete(null);
        }
      }
    }
  }

  /**
   * The snapshot on the wire: a raw /ws upgrade (plain; asking {@code ?snapshot=gzip}; offering
   * permessage-deflate) counting the first frame's bytes, and {@code GET /api/services} with and
   * without {@code Accept-Encoding: gzip}; plus what the snapshot text itself compresses to.
   */
  static void snapshotSizes(int port, JsonObject into) throws Exception {
    Frame plain = firstFrame(port, "/ws", null);
    into.put("ws_snapshot_bytes", plain.wire).put("ws_snapshot_ms", plain.ms);
    Frame gzip = firstFrame(port, "/ws?snapshot=gzip", null);
    into.put("ws_gzip_bytes", gzip.wire).put("ws_gzip_ms", gzip.ms).put("ws_gzip_binary", gzip.opcode == 2);
    Frame deflate = firstFrame(port, "/ws", "permessage-deflate; client_max_window_bits");
    into.put("ws_deflate_offered_bytes", deflate.wire).put("ws_deflate_negotiated", deflate.rsv1);
    into.put("api_services_bytes", httpBytes(port, "/api/services", null))
        .put("api_services_gzip_bytes", httpBytes(port, "/api/services", "gzip"))
        .put("api_services_br_bytes", httpBytes(port, "/api/services", "br"));
    byte[] text = plain.payload;
    JsonObject mix = new JsonObject().put("json", text.length);
    for (int level : new int[] {1, 6, 9}) {
      long t = System.nanoTime();
      int size = 0;
      for (int i = 0; i < 5; i++) {
        size = gzip(text, level).length;
      }
      mix.put("gzip" + level, size).put("gzip" + level + "_ms", Stats.ms(System.nanoTime() - t) / 5);
    }
    byte[] lean = withoutNulls(new JsonObject(new String(text, StandardCharsets.UTF_8))).encode()
        .getBytes(StandardCharsets.UTF_8);
    mix.put("no_nulls", lean.length).put("no_nulls_gzip6", gzip(lean, 6).length);
    into.put("mix", mix);
  }

  private static byte[] gzip(byte[] text, int level) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out) {
      {
        def.setLevel(level);
      }
    }) {
      z.write(text);
    }
    return out.toByteArray();
  }

  private static JsonObject withoutNulls(JsonObject snapshot) {
    JsonArray lean = new JsonArray();
    for (Object o : snapshot.getJsonArray("services")) {
      JsonObject v = ((JsonObject) o).copy();
      v.getMap().values().removeIf(java.util.Objects::isNull);
      lean.add(v);
    }
    return snapshot.copy().put("services", lean);
  }

  record Frame(int wire, byte[] payload, boolean rsv1, int opcode, double ms) {}

  /** The first data frame after a raw upgrade: its bytes on the wire (header included) and its payload. */
  static Frame firstFrame(int port, String path, String extensions) throws IOException {
    long t = System.nanoTime();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Authorization: " + io.servicemanager.testing.TestConfigs.operatorBasic() + "\r\n"
          + (extensions == null ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n") + "\r\n";
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      String head = readHead(in);
      if (!head.startsWith("HTTP/1.1 101")) {
        throw new IOException("upgrade refused: " + head);
      }
      int wire = 0;
      ByteArrayOutputStream payload = new ByteArrayOutputStream();
      boolean rsv1 = false;
      int opcode = -1;
      while (true) {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        int header = 2;
        if (len == 126) {
          len = in.readUnsignedShort();
          header += 2;
        } else if (len == 127) {
          len = in.readLong();
          header += 8;
        }
        byte[] data = new byte[(int) len];
        in.readFully(data);
        int op = b0 & 0x0f;
        if (op == 9 || op == 10) {
          continue; // ping / pong
        }
        if (opcode < 0) {
          opcode = op;
          rsv1 = (b0 & 0x40) != 0;
        }
        wire += header + data.length;
        payload.write(data);
        if ((b0 & 0x80) != 0) {
          break;
        }
      }
      byte[] bytes = payload.toByteArray();
      if (rsv1) {
        bytes = inflate(bytes);
      }
      return new Frame(wire, bytes, rsv1, opcode, Stats.ms(System.nanoTime() - t));
    }
  }

  private static byte[] inflate(byte[] raw) throws IOException {
    java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
    byte[] withTail = java.util.Arrays.copyOf(raw, raw.length + 4);
    withTail[raw.length + 2] = (byte) 0xff;
    withTail[raw.length + 3] = (byte) 0xff;
    inflater.setInput(withTail);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    try {
      while (!inflater.finished() && !inflater.needsInput()) {
        int k = inflater.inflate(buf);
        if (k == 0 && inflater.needsInput()) {
          break;
        }
        out.write(buf, 0, k);
      }
    } catch (java.util.zip.DataFormatException e) {
      throw new IOException(e);
    }
    return out.toByteArray();
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed during the upgrade: " + head);
      }
      head.append((char) c);
    }
    return head.toString();
  }

  /** The body's bytes on the wire (chunked framing aside) of a GET, asking {@code encoding} or none. */
  static int httpBytes(int port, String path, String encoding) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(60_000);
      String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n"
          + "Authorization: " + io.servicemanager.testing.TestConfigs.operatorBasic() + "\r\n"
          + (encoding == null ? "" : "Accept-Encoding: " + encoding + "\r\n") + "\r\n";
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      byte[] all = s.getInputStream().readAllBytes();
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int body = text.indexOf("\r\n\r\n");
      if (!text.startsWith("HTTP/1.1 200")) {
        throw new IOException(path + ": " + text.substring(0, Math.min(200, text.length())));
      }
      return all.length - body - 4;
    }
  }
}
