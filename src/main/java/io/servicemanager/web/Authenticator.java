package io.servicemanager.web;

import io.servicemanager.auth.Identity;
import io.servicemanager.auth.LoginThrottle;
import io.servicemanager.auth.PasswordHash;
import io.servicemanager.auth.SessionCookie;
import io.servicemanager.auth.Tokens;
import io.servicemanager.auth.UserDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Who a request comes from: HTTP Basic (users), {@code Authorization: Bearer} (tokens), the signed
 * session cookie (the dashboard), or — with {@code auth.anonymous: viewer} and no credentials at
 * all — the anonymous viewer. Credentials that are present but wrong are always a 401, never a
 * silent fall-back to anonymous.
 *
 * <p>Passwords are checked on a worker thread (Argon2id takes tens of milliseconds). A Basic client
 * sends its password with every request, so a verified pair is remembered ({@link BasicCache}).
 * The throttle decides first whether an attempt may be checked at all, for a remembered pair too:
 * both are shared by every instance, so the answer is the same whichever loop asks. Used on one
 * event loop.
 */
final class Authenticator {

  enum Method { BASIC, BEARER, COOKIE, ANONYMOUS }

  /** @param expiresEpochSeconds the session's end for {@link Method#COOKIE}, else 0 */
  record Caller(Identity identity, Method method, long expiresEpochSeconds) {}

  /** What start-up hands the HTTP verticle: the users loaded, the session key, the anonymous setting. */
  record Setup(UserDirectory users, byte[] sessionKey, boolean anonymousViewer) {}

  /**
   * Argon2id takes 19 MiB and tens of milliseconds per check: at most two run at once, on threads
   * of their own, so a burst of logins neither exhausts the heap nor starves the shared workers
   * that D-Bus reads and the history use. Closed with the verticle that created it.
   */
  static final int HASHING_THREADS = 2;

  private final WorkerExecutor hashing;
  private final SessionCookie sessions;
  private final LoginThrottle throttle;
  private final BasicCache basicCache;
  private final boolean anonymousViewer;
  private UserDirectory directory;

  Authenticator(Vertx vertx, UserDirectory directory, SessionCookie sessions, LoginThrottle throttle,
      BasicCache basicCache, boolean anonymousViewer) {
    this.hashing = vertx.createSharedWorkerExecutor("password-hashing", HASHING_THREADS);
    this.directory = directory;
    this.sessions = sessions;
    this.throttle = throttle;
    this.basicCache = basicCache;
    this.anonymousViewer = anonymousViewer;
  }

  /** A reloaded users file: later requests are checked against it, and no remembered password survives. */
  void directory(UserDirectory next) {
    directory = next;
    basicCache.clear();
  }

  UserDirectory directory() {
    return directory;
  }

  SessionCookie sessions() {
    return sessions;
  }

  LoginThrottle throttle() {
    return throttle;
  }

  /** Fails with an {@link AuthFailure}. */
  Future<Caller> authenticate(HttpServerRequest request) {
    String client = request.remoteAddress() == null ? "?" : request.remoteAddress().host();
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null) {
      int space = authorization.indexOf(' ');
      String scheme = space < 0 ? authorization : authorization.substring(0, space);
      String value = space < 0 ? "" : authorization.substring(space + 1).strip();
      if (scheme.equalsIgnoreCase("Basic")) {
        return basic(client, value);
      }
      if (scheme.equalsIgnoreCase("Bearer")) {
        return bearer(client, value);
      }
      return Future.failedFuture(AuthFailure.unauthorized("use Basic or Bearer authorization"));
    }
    Cookie cookie = request.getCookie(SessionCookie.NAME);
    if (cookie != null) {
      return sessions.verify(cookie.getValue(), user -> directory.user(user).map(UserDirectory.User::passwordHash))
          .flatMap(s -> directory.user(s.user()).map(u -> new Caller(u.identity(), Method.COOKIE, s.expiresEpochSeconds())))
          .map(Future::succeededFuture)
          .orElseGet(() -> Future.failedFuture(AuthFailure.unauthorized("the session has expired or is not valid; log in again")));
    }
    if (anonymousViewer) {
      return Future.succeededFuture(new Caller(Identity.anonymousViewer(), Method.ANONYMOUS, 0));
    }
    return Future.failedFuture(AuthFailure.unauthorized("log in, or send Basic or Bearer authorization"));
  }

  /**
   * Checks a user's password, throttled per (client address, user name) and per client address;
   * fails with an {@link AuthFailure} (401, or 429 without checking while the throttle holds).
   */
  Future<UserDirectory.User> login(String client, String user, String password) {
    // Checked and counted in one step: another instance's loop may be checking the same user now.
    var wait = throttle.begin(client, user);
    if (wait.isPresent()) {
      return throttled(client, user, wait.getAsLong());
    }
    Optional<UserDirectory.User> found = directory.user(user);
    char[] secret = password.toCharArray();
    return hashing.executeBlocking(() -> found.isPresent()
            ? PasswordHash.verify(found.get().passwordHash(), secret)
            : PasswordHash.verifyNobody(secret), false)
        .onComplete(done -> throttle.checked(client, user))
        .compose(ok -> {
          if (ok && found.isPresent() && directory.user(user).filter(u -> u.equals(found.get())).isPresent()) {
            throttle.succeeded(client, user);
            return Future.succeededFuture(found.get());
          }
          throttle.failed(client, user);
          ClientFaults.AUTH.log("failed login for user " + show(user) + " from " + client + " ("
              + throttle.failedTotal() + " failed since start)");
          return Future.failedFuture(AuthFailure.unauthorized("wrong user name or password"));
        });
  }

  private Future<Caller> basic(String client, String value) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(AuthFailure.unauthorized("Basic credentials are not valid base64"));
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      return Future.failedFuture(AuthFailure.unauthorized("Basic credentials must be user:password"));
    }
    String user = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    // The throttle first: while it holds, a remembered password is not looked at either.
    var wait = throttle.retryAfter(client, user);
    if (wait.isPresent()) {
      return throttled(client, user, wait.getAsLong());
    }
    Optional<UserDirectory.User> known = directory.user(user);
    if (known.isPresent() && basicCache.knows(user, password, known.get().passwordHash())) {
      return Future.succeededFuture(new Caller(known.get().identity(), Method.BASIC, 0));
    }
    return login(client, user, password).map(u -> {
      basicCache.remember(user, password, u.passwordHash());
      return new Caller(u.identity(), Method.BASIC, 0);
    });
  }

  private static <T> Future<T> throttled(String client, String user, long seconds) {
    ClientFaults.AUTH.log("login refused for user " + show(user) + " from " + client + ": throttled for "
        + seconds + " s");
    return Future.failedFuture(AuthFailure.throttled(seconds));
  }

  /** A bare API token, as the TCP bridge receives it; throttled like every other check. */
  Future<Caller> bearer(String client, String token) {
    var wait = throttle.retryAfter(client, null);
    if (wait.isPresent()) {
      return Future.failedFuture(AuthFailure.throttled(wait.getAsLong()));
    }
    Optional<UserDirectory.Token> found = token.isEmpty() ? Optional.empty()
        : directory.tokenByDigest(Tokens.sha256Hex(token));
    if (found.isEmpty()) {
      throttle.failed(client, null);
      ClientFaults.AUTH.log("unknown bearer token from " + client + " (" + throttle.failedTotal() + " failed since start)");
      return Future.failedFuture(AuthFailure.unauthorized("unknown token"));
    }
    return Future.succeededFuture(new Caller(found.get().identity(), Method.BEARER, 0));
  }

  /** A client-supplied user name for the log: quoted, cut and on one line. */
  private static String show(String user) {
    return io.servicemanager.config.ConfigValidator.show(user);
  }
}
