package io.servicemanager.web;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which identity opened each SockJS session ({@code /eventbus/SERVER/SESSION/TRANSPORT}). A session
 * lives across many HTTP requests (each poll, each {@code xhr_send}), each authenticated on its
 * own, and its id is chosen by the client; without this an authenticated caller who learnt another
 * one's session id could feed frames into it and act with its rights. Kept in a Vert.x-wide map:
 * the requests of one session may reach any HTTP instance.
 */
final class SockJsSessionOwners {
  private static final String MAP = "servicemanager.sockjs.owners";
  /**
   * The offered transports whose request may open a session (SockJS then reports it closed, which
   * releases it); {@code xhr_send} and anything else only ever reach an existing one.
   */
  private static final Set<String> OPENING = Set.of("xhr", "xhr_streaming", "websocket");

  private final Pattern sessionPath;
  private final LocalMap<String, String> owners;

  SockJsSessionOwners(Vertx vertx, String mountPath) {
    // SockJS's own path elements: no '/' and no '.' in the server and session parts.
    this.sessionPath = Pattern.compile(Pattern.quote(mountPath) + "/[^/.]+/([^/.]+)/([^/]+)");
    this.owners = vertx.sharedData().getLocalMap(MAP);
  }

  /** The session a request path names, or null ({@code /info}, the raw {@code /websocket}, …). */
  String sessionOf(String path) {
    Matcher m = sessionPath.matcher(path);
    return m.matches() ? m.group(1) : null;
  }

  /**
   * True when {@code identity} may use the session named in {@code path}: it opened it, or this
   * request opens it. Paths without a session are no one's.
   */
  boolean admit(String path, String identity) {
    Matcher m = sessionPath.matcher(path);
    if (!m.matches()) {
      return true;
    }
    String owner = OPENING.contains(m.group(2)) ? owners.putIfAbsent(m.group(1), identity) : owners.get(m.group(1));
    return owner == null || owner.equals(identity);
  }

  /** The session ended: its id may be used afresh. */
  void release(String session) {
    if (session != null) {
      owners.remove(session);
    }
  }
}
