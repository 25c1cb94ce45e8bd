package io.servicemanager.web;

import io.servicemanager.ErrorCode;
import io.servicemanager.auth.Audience;
import io.servicemanager.auth.Identity;
import io.servicemanager.auth.SessionCookie;
import io.servicemanager.status.ServiceView;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web side of signing in: {@code POST /api/login}, {@code POST /api/logout},
 * {@code GET /api/session}, and the handler that puts the caller's identity on every other /api
 * request (or answers 401/429, and 403 for a cookie-authenticated change from a foreign origin).
 */
final class AuthRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(AuthRoutes.class);
  private static final String CALLER = "caller";

  private final Authenticator authenticator;
  private final boolean tls;

  AuthRoutes(Authenticator authenticator, boolean tls) {
    this.authenticator = authenticator;
    this.tls = tls;
  }

  void authenticate(RoutingContext ctx) {
    authenticator.authenticate(ctx.request())
        .onSuccess(caller -> {
          // A cookie is sent by the browser whoever asks it to: a change needs our own page's Origin.
          if (caller.method() == Authenticator.Method.COOKIE && ctx.request().method() != HttpMethod.GET
              && ctx.request().method() != HttpMethod.HEAD && !SameOrigin.matches(ctx.request(), tls)) {
            HttpVerticle.fail(ctx, ErrorCode.FORBIDDEN, "cross-origin request refused");
            return;
          }
          ctx.put(CALLER, caller);
          ctx.next();
        })
        .onFailure(e -> refuse(ctx, e));
  }

  void refuse(RoutingContext ctx, Throwable e) {
    refuse(ctx, e, offersBasic(ctx));
  }

  void refuse(RoutingContext ctx, Throwable e, boolean challenge) {
    AuthFailure failure = e instanceof AuthFailure f ? f : AuthFailure.unauthorized("authentication failed");
    if (failure.code == ErrorCode.TOO_MANY_REQUESTS) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(failure.retryAfter));
    } else if (challenge) {
      ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"service-manager\", charset=\"UTF-8\"");
    }
    HttpVerticle.fail(ctx, failure.code, failure.getMessage());
  }

  /**
   * The Basic challenge is for programs (curl, scripts). The dashboard marks its requests with
   * X-Requested-With and would otherwise get the browser's own password dialog over its login form.
   */
  private static boolean offersBasic(RoutingContext ctx) {
    return ctx.request().getHeader("X-Requested-With") == null
        && ctx.request().getCookie(SessionCookie.NAME) == null;
  }

  static Identity who(RoutingContext ctx) {
    return ctx.<Authenticator.Caller>get(CALLER).identity();
  }

  void login(RoutingContext ctx) {
    if (!SameOrigin.absentOrMatches(ctx.request(), tls)) {
      HttpVerticle.fail(ctx, ErrorCode.FORBIDDEN, "cross-origin request refused");
      return;
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null || !(body.getValue("user") instanceof String user) || user.isEmpty() || user.length() > 64
        || !(body.getValue("password") instanceof String password) || password.length() > 1024) {
      HttpVerticle.fail(ctx, ErrorCode.BAD_REQUEST, "send {\"user\": …, \"password\": …}");
      return;
    }
    String client = ctx.request().remoteAddress().host();
    authenticator.login(client, user, password)
        .onSuccess(u -> {
          String value = authenticator.sessions().issue(u.name(), u.passwordHash());
          long expires = Instant.now().plus(SessionCookie.LIFETIME).getEpochSecond();
          ctx.response().putHeader(HttpHeaders.SET_COOKIE, cookie(value, SessionCookie.LIFETIME.toSeconds()));
          LOG.info("user {} logged in from {}", u.name(), client);
          HttpVerticle.json(ctx, 200, sessionBody(u.identity(), "cookie", expires));
        })
        .onFailure(e -> refuse(ctx, e));
  }

  void logout(RoutingContext ctx) {
    if (!SameOrigin.absentOrMatches(ctx.request(), tls)) {
      HttpVerticle.fail(ctx, ErrorCode.FORBIDDEN, "cross-origin request refused");
      return;
    }
    ctx.response().putHeader(HttpHeaders.SET_COOKIE, cookie("", 0));
    HttpVerticle.json(ctx, 200, new JsonObject().put("status", "logged_out"));
  }

  private String cookie(String value, long maxAgeSeconds) {
    return SessionCookie.NAME + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
        + (tls ? "; Secure" : "");
  }

  void session(RoutingContext ctx) {
    Authenticator.Caller caller = ctx.get(CALLER);
    HttpVerticle.json(ctx, 200, sessionBody(caller.identity(), caller.method().name().toLowerCase(java.util.Locale.ROOT),
        caller.expiresEpochSeconds()));
  }

  private static JsonObject sessionBody(Identity who, String method, long expiresEpochSeconds) {
    return new JsonObject().put("user", who.name()).put("role", who.role().value()).put("method", method)
        .put("expires", expiresEpochSeconds > 0 ? ServiceView.iso(Instant.ofEpochSecond(expiresEpochSeconds)) : null)
        .put("configuration", Audience.of(who).configuration());
  }
}
