package io.servicemanager.auth;

import io.netty.util.NetUtil;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failed logins, counted per (client address, user name) and per client address. Each key gets a
 * few free failures; after those, every further failure closes the key for a delay that doubles
 * from {@link #FIRST_DELAY} up to {@link #MAX_DELAY}, and attempts while it is closed are refused
 * (429) without checking the password, so guessing costs the server nothing. A key is forgotten
 * after {@link #FORGET} without a failure; a good password clears its (address, user) key only.
 *
 * <p>The user name alone is never a key: a stranger who knows it could otherwise keep its owner
 * out. Guessing one password from many addresses is bounded by each address's free failures and by
 * the Argon2id cost of every check, not by a lock. An IPv6 client counts by its /64, the block one
 * subscriber is usually given.
 *
 * <p>An attempt still being checked counts as a possible failure, so a burst of guesses sent at
 * once cannot outrun the count. One throttle serves every HTTP verticle instance, each on its own
 * event loop: its methods are synchronized (a login, not a push), and {@link #begin} checks and
 * counts an attempt in one step.
 *
 * <p>At most {@link #MAX_KEYS} keys are held. When a new one does not fit, a key outside any delay
 * goes first, the one with the fewest failures and then the least recently failed, so a flood of
 * single guesses from many addresses cannot push out an attacker's count. Only when the keys outside
 * a delay are not enough do those whose delay ends soonest go.
 */
public final class LoginThrottle {
  /** Free failures per (address, user). */
  public static final int MAX_FAILURES = 5;
  /** Free failures per address, over every user name and token: a few users behind one proxy. */
  public static final int MAX_ADDRESS_FAILURES = 20;
  public static final Duration FIRST_DELAY = Duration.ofSeconds(30);
  public static final Duration MAX_DELAY = Duration.ofMinutes(15);
  public static final Duration FORGET = Duration.ofHours(1);
  public static final int MAX_KEYS = 10_000;

  /** One key's record: failures since it was last cleared, and the delay they earned. */
  private static final class Failures {
    int count;
    long last;
    long closedUntil;

    boolean closed(long now) {
      return closedUntil > now;
    }
  }

  private static final byte[] IPV4_MAPPED = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

  private final Clock clock;
  private final Map<String, Failures> failures = new HashMap<>();
  private final Map<String, Integer> checking = new HashMap<>();
  private final AtomicLong failedTotal = new AtomicLong();

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /**
   * Seconds to wait when the (address, user) pair or the address is closed now by failures; empty
   * when a check may go ahead. Checks under way are not counted: this is the question for a
   * request that needs no new check (a remembered Basic pair).
   */
  public synchronized OptionalLong retryAfter(String client, String user) {
    long now = clock.millis();
    return seconds(Math.max(closed(addressKey(client), now), user == null ? 0 : closed(pairKey(client, user), now)));
  }

  /**
   * An attempt to check a password: when the pair or the address is closed, or its remaining free
   * attempts are all being checked already, the seconds to wait and nothing is counted; else the
   * check is counted as begun and {@link #checked} must follow, whatever the outcome.
   */
  public synchronized OptionalLong begin(String client, String user) {
    long now = clock.millis();
    String address = addressKey(client);
    long wait = wait(address, MAX_ADDRESS_FAILURES, now);
    if (user != null) {
      wait = Math.max(wait, wait(pairKey(client, user), MAX_FAILURES, now));
    }
    if (wait == 0) {
      checking.merge(address, 1, Integer::sum);
      if (user != null) {
        checking.merge(pairKey(client, user), 1, Integer::sum);
      }
    }
    return seconds(wait);
  }

  public synchronized void checked(String client, String user) {
    checking.computeIfPresent(addressKey(client), (k, n) -> n > 1 ? n - 1 : null);
    if (user != null) {
      checking.computeIfPresent(pairKey(client, user), (k, n) -> n > 1 ? n - 1 : null);
    }
  }

  public synchronized void failed(String client, String user) {
    failedTotal.incrementAndGet();
    long now = clock.millis();
    record(addressKey(client), MAX_ADDRESS_FAILURES, now);
    if (user != null) {
      record(pairKey(client, user), MAX_FAILURES, now);
    }
  }

  /** A good password clears this address's failures for this user; the address keeps its own count. */
  public synchronized void succeeded(String client, String user) {
    failures.remove(pairKey(client, user));
  }

  /** Every failed attempt since start, for logs and metrics. */
  public long failedTotal() {
    return failedTotal.get();
  }

  /** Keys held now, for tests of the bound. */
  synchronized int size() {
    return failures.size();
  }

  /** The address a client is counted under: an IPv6 address by its /64, an IPv4 one (mapped or not) as it is. */
  static String addressKey(String client) {
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(client);
    if (bytes == null || bytes.length != 16) {
      return "ip:" + client;
    }
    if (Arrays.equals(bytes, 0, 12, IPV4_MAPPED, 0, 12)) {
      return "ip:" + NetUtil.bytesToIpAddress(bytes, 12, 4);
    }
    return "ip:" + HexFormat.of().formatHex(bytes, 0, 8) + "/64";
  }

  /** User names are at most 64 characters: a longer one (never a user's) is held by its digest. */
  private static String pairKey(String client, String user) {
    return "pair:" + addressKey(client).substring(3) + '\0' + (user.length() <= 64 ? user : Tokens.sha256Hex(user));
  }

  private static OptionalLong seconds(long millis) {
    return millis > 0 ? OptionalLong.of((millis + 999) / 1000) : OptionalLong.empty();
  }

  /** Milliseconds the key is closed for by its recorded failures. */
  private long closed(String key, long now) {
    Failures f = current(key, now);
    return f != null && f.closed(now) ? f.closedUntil - now : 0;
  }

  /** Milliseconds before another check may begin on this key, counting the checks under way. */
  private long wait(String key, int free, long now) {
    Failures f = current(key, now);
    if (f != null && f.closed(now)) {
      return f.closedUntil - now;
    }
    int failed = f == null ? 0 : f.count;
    // Once the free failures are spent, one check at a time; a running check may be one more failure.
    int open = Math.max(free - failed, 1);
    return checking.getOrDefault(key, 0) >= open ? 1000 : 0;
  }

  /** The key's record, or null when it has none or has been quiet long enough to be forgotten. */
  private Failures current(String key, long now) {
    Failures f = failures.get(key);
    if (f != null && forgotten(f, now)) {
      failures.remove(key);
      return null;
    }
    return f;
  }

  private static boolean forgotten(Failures f, long now) {
    return !f.closed(now) && f.last + FORGET.toMillis() <= now;
  }

  private void record(String key, int free, long now) {
    Failures f = current(key, now);
    if (f == null) {
      makeRoom(now);
      f = new Failures();
      failures.put(key, f);
    }
    f.count++;
    f.last = now;
    if (f.count >= free) {
      int doublings = Math.min(f.count - free, 30);
      f.closedUntil = now + Math.min(MAX_DELAY.toMillis(), FIRST_DELAY.toMillis() << doublings);
    }
  }

  /**
   * Makes room when the map is full: drops the forgotten keys, and if that is not enough a tenth of
   * the keys in eviction order (outside a delay before inside; then the fewest failures and the
   * least recent; inside a delay, the soonest to end). One sort per thousand new keys, so a flood
   * costs little under the lock.
   */
  private void makeRoom(long now) {
    if (failures.size() < MAX_KEYS) {
      return;
    }
    failures.values().removeIf(f -> forgotten(f, now));
    int excess = failures.size() - MAX_KEYS * 9 / 10;
    if (excess <= 0) {
      return;
    }
    Comparator<Failures> order = Comparator.<Failures, Boolean>comparing(f -> f.closed(now))
        .thenComparingLong(f -> f.closed(now) ? f.closedUntil : 0)
        .thenComparingInt(f -> f.count)
        .thenComparingLong(f -> f.last);
    failures.entrySet().stream()
        .sorted(Map.Entry.comparingByValue(order))
        .limit(excess)
        .map(Map.Entry::getKey)
        .toList()
        .forEach(failures::remove);
  }
}
