package io.servicemanager.testing;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The JSON frames a test client has received, awaited by what they contain: frames that did not
 * match an await stay available to later ones, so the arrival order between kinds of message does
 * not matter. Frames are added from the client's event loop and awaited from the test's thread.
 */
public final class FrameInbox {
  private final String what;
  private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final List<JsonObject> seen = new ArrayList<>();
  private final List<JsonObject> unmatched = new ArrayList<>();

  /** @param what how failures name the frames, e.g. "/ws frame" */
  public FrameInbox(String what) {
    this.what = what;
  }

  public void add(JsonObject frame) {
    frames.add(frame);
  }

  /** The first frame that matches and was not awaited before, waiting for it up to the timeout. */
  public JsonObject await(Predicate<JsonObject> matching, Duration timeout) {
    for (var it = unmatched.iterator(); it.hasNext(); ) {
      JsonObject frame = it.next();
      if (matching.test(frame)) {
        it.remove();
        return frame;
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        JsonObject frame = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
        if (frame == null) {
          throw new AssertionError("no matching " + what + " within " + timeout + "; received: " + seen);
        }
        seen.add(frame);
        if (matching.test(frame)) {
          return frame;
        }
        unmatched.add(frame);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Everything received so far, including frames not yet awaited. */
  public List<JsonObject> all() {
    List<JsonObject> all = new ArrayList<>(seen);
    all.addAll(frames);
    return all;
  }
}
