package io.servicemanager.watch;

import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where {@code watch} connects: the server's base URL ({@code http://host:8080}, its /ws is meant)
 * or the feed itself ({@code ws://host:8080/ws}); https and wss use TLS.
 *
 * @param uri the request path with its query, e.g. {@code /ws} or {@code /manager/ws}
 */
public record WatchTarget(String host, int port, boolean ssl, String uri) {

  /** @throws IllegalArgumentException with a message for the user when the URL cannot be used */
  public static WatchTarget parse(String url) {
    URI parsed;
    try {
      parsed = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw bad(url, e.getReason());
    }
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    boolean feed = scheme.equals("ws") || scheme.equals("wss");
    if (!feed && !scheme.equals("http") && !scheme.equals("https")) {
      throw bad(url, parsed.getScheme() == null ? "no scheme" : "unsupported scheme " + parsed.getScheme());
    }
    if (parsed.getHost() == null || parsed.getRawUserInfo() != null || parsed.getRawFragment() != null) {
      throw bad(url, parsed.getHost() == null ? "no host" : "user info and fragments are not supported");
    }
    boolean ssl = scheme.equals("https") || scheme.equals("wss");
    int port = parsed.getPort() == -1 ? (ssl ? 443 : 80) : parsed.getPort();
    String path = parsed.getRawPath() == null ? "" : parsed.getRawPath();
    if (!feed) {
      // A base URL names the server; its feed is /ws below it.
      path = (path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + "/ws";
    } else if (path.isEmpty()) {
      path = "/ws";
    }
    String query = parsed.getRawQuery() == null ? "" : "?" + parsed.getRawQuery();
    String host = parsed.getHost();
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1); // an IPv6 literal, connected to without its brackets
    }
    return new WatchTarget(host, port, ssl, path + query);
  }

  public WebSocketConnectOptions connectOptions() {
    return new WebSocketConnectOptions().setHost(host).setPort(port).setSsl(ssl).setURI(uri);
  }

  @Override
  public String toString() {
    String shownHost = host.contains(":") ? "[" + host + "]" : host;
    return (ssl ? "wss://" : "ws://") + shownHost + ":" + port + uri;
  }

  private static IllegalArgumentException bad(String url, String why) {
    return new IllegalArgumentException("--url must be http(s)://HOST[:PORT] (the server) or ws(s)://HOST[:PORT]/ws "
        + "(its feed); \"" + url + "\": " + why);
  }
}
