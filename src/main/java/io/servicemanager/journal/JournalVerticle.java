package io.servicemanager.journal;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.systemd.SystemdClient;
import io.servicemanager.systemd.UnitCgroup;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal (DESIGN §3): tails on request and live followers, through journalctl as a subprocess
 * ({@link JournalCommand}), matched by the unit's control group and main process ({@link UnitMatch}),
 * read on demand from systemd.
 *
 * <p>Event bus: answers {@link Addresses#JOURNAL} and {@link Addresses#JOURNAL_FOLLOW}, publishes
 * {@link Addresses#JOURNAL_ENTRIES}. Who may read which journal is decided before a request comes
 * here ({@link io.servicemanager.auth.Audience#logs}). One journalctl follows a service however
 * many followers (an HTTP instance each) ask; it stops when the last one leaves. At most
 * {@link #MAX_FOLLOWED} services are followed at once.
 */
public final class JournalVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(JournalVerticle.class);
  public static final int MAX_LINES = 1000;
  static final int MAX_FOLLOWED = 16;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final SystemdClient systemd;
  private final JournalReader reader;
  private final Map<String, Followed> followed = new HashMap<>();

  /** A running journalctl and the followers that want it; {@code process} is null while it starts. */
  private static final class Followed {
    final Set<String> followers = new HashSet<>();
    JournalFollower process;
  }

  /** @param systemd a connected client (it is not connected here), read for each unit's control group */
  public JournalVerticle(SystemdClient systemd, JournalCommand command) {
    this.systemd = systemd;
    this.reader = new JournalReader(command, TIMEOUT);
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<JsonObject>consumer(Addresses.JOURNAL, this::tail);
    vertx.eventBus().<JsonObject>consumer(Addresses.JOURNAL_FOLLOW, this::follow);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    followed.values().forEach(f -> {
      if (f.process != null) {
        f.process.stop();
      }
    });
    followed.clear();
    return Future.succeededFuture();
  }

  private void tail(Message<JsonObject> m) {
    String unit = m.body().getString("unit");
    int lines = m.body().getInteger("lines", 100);
    String before = m.body().getString("before");
    if (lines < 1 || lines > MAX_LINES || (before != null && !JournalCommand.validCursor(before))) {
      m.reply(failure(ErrorCode.BAD_REQUEST, "lines must be 1.." + MAX_LINES + " and before a journal cursor"));
      return;
    }
    match(unit)
        .compose(match -> vertx.executeBlocking(() -> reader.tail(match, lines, before), false))
        .onSuccess(entries -> m.reply(new JsonObject().put("entries", new JsonArray(entries))))
        .onFailure(e -> m.reply(unavailable(unit, e)));
  }

  private void follow(Message<JsonObject> m) {
    String service = m.body().getString("service");
    String follower = m.body().getString("follower");
    if (!m.body().getBoolean("follow", false)) {
      leave(service, follower);
      m.reply(new JsonObject());
      return;
    }
    Followed current = followed.get(service);
    if (current != null) {
      current.followers.add(follower);
      m.reply(new JsonObject());
      return;
    }
    if (followed.size() >= MAX_FOLLOWED) {
      m.reply(failure(ErrorCode.TOO_MANY_REQUESTS, "the journals of " + MAX_FOLLOWED
          + " services are followed already; try again later"));
      return;
    }
    Followed starting = new Followed();
    starting.followers.add(follower);
    followed.put(service, starting);
    String unit = m.body().getString("unit");
    match(unit).compose(match -> vertx.executeBlocking(() -> JournalFollower.start(
        reader.command(), match, context, entries -> publish(service, entries), () -> ended(service)), false))
        .onSuccess(process -> {
          if (followed.get(service) == starting && !starting.followers.isEmpty()) {
            starting.process = process;
            LOG.debug("following the journal of {} (journalctl pid {})", service, process.pid());
          } else {
            process.stop(); // everyone left while it started
          }
          m.reply(new JsonObject());
        })
        .onFailure(e -> {
          if (followed.get(service) == starting) {
            followed.remove(service);
          }
          m.reply(unavailable(unit, e));
        });
  }

  private void leave(String service, String follower) {
    Followed current = followed.get(service);
    if (current != null && current.followers.remove(follower) && current.followers.isEmpty()) {
      followed.remove(service);
      if (current.process != null) {
        current.process.stop();
        LOG.debug("stopped following the journal of {}", service);
      }
    }
  }

  private void publish(String service, JsonArray entries) {
    vertx.eventBus().publish(Addresses.JOURNAL_ENTRIES, new JsonObject().put("service", service).put("entries", entries));
  }

  private void ended(String service) {
    Followed current = followed.remove(service);
    if (current != null) {
      LOG.warn("journalctl following {} ended by itself", service);
      vertx.eventBus().publish(Addresses.JOURNAL_ENTRIES, new JsonObject().put("service", service).put("ended", true));
    }
  }

  private Future<UnitMatch> match(String unit) {
    return systemd.readCgroup(unit).compose(cgroup -> cgroup.controlGroup().isEmpty()
        ? Future.failedFuture(new JournalUnavailable("systemd names no control group for " + unit))
        : Future.succeededFuture(new UnitMatch(cgroup.controlGroup(), cgroup.mainProcess())));
  }

  private static JsonObject unavailable(String unit, Throwable e) {
    if (!(e instanceof JournalUnavailable) && !(e instanceof IOException)) {
      LOG.warn("reading the journal of {} failed", unit, e);
    }
    String reason = e instanceof JournalUnavailable ? e.getMessage() : "cannot read the journal: " + e.getMessage();
    return failure(ErrorCode.LOGS_UNAVAILABLE, reason);
  }

  static JsonObject failure(ErrorCode code, String message) {
    return new JsonObject().put("error", code.code()).put("message", message);
  }
}
