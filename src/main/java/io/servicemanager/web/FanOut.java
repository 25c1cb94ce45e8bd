package io.servicemanager.web;

import io.servicemanager.auth.Identity;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Writes each published message to every subscriber, in the order published, a slice of
 * subscribers per event-loop turn: one message to 10 000 sockets takes hundreds of milliseconds,
 * and in between the loop reads what clients send and takes in newer messages.
 *
 * <p>A newer status of a service replaces an older one that some subscribers have not been sent
 * yet: those get only the newer (a stop's "deactivating" followed a few milliseconds later by
 * "inactive" is one frame per client, not two), and those already sent the older one get the newer
 * one after them. Only status messages are merged, and never across another kind of message (an
 * operation or a snapshot), so each subscriber still sees every kind in the order it happened.
 * Subscribers of every transport share one queue; each is written its transport's frame for what
 * its identity may see ({@link PushKind}). Used on one event loop (its {@code context}).
 */
final class FanOut {
  /** ≈ 5–10 ms of socket writes on a small VM: short enough that nothing waits long behind a slice. */
  static final int SLICE = 256;
  private static final byte[] NOTHING = new byte[0];

  /** One receiver: a /ws socket, a SockJS or TCP bridge client, and the identity it was opened by. */
  interface Subscriber {
    Identity who();

    /**
     * Subscribers with equal rights get the same bytes, encoded once per message: the key covers
     * the identity's {@link io.servicemanager.auth.Audience#key} and the transport's frame shape.
     */
    Object rights();

    /** Whether it is sent messages of this kind at all (a bridge client: only the addresses it registered). */
    boolean takes(PushKind kind);

    /** Its transport's frame for one message, given what its identity may see of it (never null). */
    JsonObject frame(PushKind kind, JsonObject seen);

    /** Increases with each subscriber made (see {@link FanOut#nextSeq()}). */
    long seq();

    boolean closed();

    /** @param frame a JSON text frame's payload, UTF-8; shared by many subscribers, so never changed */
    Future<Void> write(byte[] frame);
  }

  private static final class Job {
    final PushKind kind;
    /** The service of a status message; null for every other kind, which is never merged. */
    final String service;
    /** What an identity may see of the message; null: nothing. */
    Function<Identity, JsonObject> frameFor;
    Runnable written;
    Map<Object, byte[]> encoded = new HashMap<>();
    /** Taken when the job starts, so subscribers that came while it waited are included. */
    List<? extends Subscriber> targets;
    int next;
    long newestSeq;
    Future<Void> last;

    Job(PushKind kind, String service, Function<Identity, JsonObject> frameFor, Runnable written) {
      this.kind = kind;
      this.service = service;
      this.frameFor = frameFor;
      this.written = written;
    }
  }

  private final Context context;
  private final Supplier<Collection<? extends Subscriber>> subscribers;
  private final ArrayDeque<Job> jobs = new ArrayDeque<>();
  private boolean pumping;
  private long seq;

  /** @param subscribers the subscribers now open, oldest first */
  FanOut(Context context, Supplier<Collection<? extends Subscriber>> subscribers) {
    this.context = context;
    this.subscribers = subscribers;
  }

  long nextSeq() {
    return ++seq;
  }

  /**
   * A {@link PushKind#STATUS} message.
   *
   * @param frameFor what an identity may see of it; null: nothing for it
   * @param written run once the frame is written to the last subscriber (not run if superseded)
   */
  void status(String service, Function<Identity, JsonObject> frameFor, Runnable written) {
    Job older = mergeable(service);
    if (older == null) {
      enqueue(new Job(PushKind.STATUS, service, frameFor, written));
      return;
    }
    older.frameFor = frameFor;
    older.written = written;
    older.encoded = new HashMap<>();
    if (older.targets != null) {
      // Under way: the subscribers not reached yet first, then those sent the older state, then
      // any that came since it started.
      List<Subscriber> order = new ArrayList<>(older.targets.size() + 16);
      order.addAll(older.targets.subList(older.next, older.targets.size()));
      order.addAll(older.targets.subList(0, older.next));
      for (Subscriber s : subscribers.get()) {
        if (s.seq() > older.newestSeq) {
          order.add(s);
        }
      }
      older.targets = order;
      older.next = 0;
      older.newestSeq = seq;
    }
  }

  /** Any other message: written to every subscriber that takes its kind, after everything published before it. */
  void publish(PushKind kind, Function<Identity, JsonObject> frameFor) {
    enqueue(new Job(kind, null, frameFor, null));
  }

  /** Messages waiting or being written (for tests). */
  int pending() {
    return jobs.size();
  }

  /** The latest job for this service, if only status messages of other services came after it. */
  private Job mergeable(String service) {
    for (Iterator<Job> it = jobs.descendingIterator(); it.hasNext(); ) {
      Job job = it.next();
      if (job.service == null) {
        return null;
      }
      if (job.service.equals(service)) {
        return job;
      }
    }
    return null;
  }

  private void enqueue(Job job) {
    jobs.addLast(job);
    if (!pumping) {
      pumping = true;
      pump();
    }
  }

  private void pump() {
    Job job = jobs.peekFirst();
    if (job.targets == null) {
      job.targets = List.copyOf(subscribers.get());
      job.newestSeq = seq;
    }
    int end = Math.min(job.next + SLICE, job.targets.size());
    while (job.next < end) {
      Subscriber s = job.targets.get(job.next++);
      if (s.closed() || !s.takes(job.kind)) {
        continue;
      }
      Function<Identity, JsonObject> frameFor = job.frameFor;
      byte[] frame = job.encoded.computeIfAbsent(s.rights(), k -> {
        JsonObject seen = frameFor.apply(s.who());
        return seen == null ? NOTHING : s.frame(job.kind, seen).encode().getBytes(StandardCharsets.UTF_8);
      });
      if (frame != NOTHING) {
        job.last = s.write(frame);
      }
    }
    if (job.next == job.targets.size()) {
      jobs.removeFirst();
      if (job.written != null && job.last != null) {
        Runnable written = job.written;
        job.last.onSuccess(v -> written.run());
      }
    }
    if (jobs.isEmpty()) {
      pumping = false;
    } else {
      context.runOnContext(v -> pump());
    }
  }
}
