package io.servicemanager.web;

import io.netty.handler.codec.compression.Brotli;
import io.netty.handler.codec.compression.BrotliMode;
import io.netty.handler.codec.compression.CompressionOptions;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.servicemanager.config.HttpOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP server's options from the verticle's {@link HttpOptions}: address, TLS, the size limits
 * every request is held to, the idle timeout, HTTP compression, and what the server does not offer (h2c, WebSocket
 * compression). The limits are defined here once; the answers that name them read them from here.
 */
final class ServerOptionsFactory {
  /** A client /ws or SockJS message is a few hundred bytes; anything near this is abuse. */
  static final int MAX_WS_MESSAGE = 64 * 1024;
  private static final int MAX_WS_FRAME = 1024 * 1024;
  /** No /api body is near this (a login is a few dozen bytes). */
  static final int MAX_BODY = 16 * 1024;
  static final int MAX_INITIAL_LINE = 8 * 1024;
  static final int MAX_HEADERS = 16 * 1024;

  private static final int BROTLI_QUALITY = 6;
  private static final int BROTLI_WINDOW = 22; // brotli's default: 4 MiB, more than any answer

  private ServerOptionsFactory() {}

  static HttpServerOptions create(HttpOptions options) {
    HttpServerOptions server = new HttpServerOptions()
        .setHost(options.host())
        .setPort(options.port())
        // Our own limit (MAX_WS_MESSAGE) closes with 1009; Netty's is only the last resort.
        .setMaxWebSocketFrameSize(MAX_WS_FRAME)
        .setMaxWebSocketMessageSize(MAX_WS_FRAME)
        .setMaxHeaderSize(MAX_HEADERS)
        .setMaxInitialLineLength(MAX_INITIAL_LINE)
        .setMaxFormAttributeSize(MAX_BODY)
        // Silence this long closes a connection; a /ws peer is pinged more often than that.
        .setIdleTimeout(options.limits().idleTimeoutSeconds())
        // HTTP/1.1 only: RequestDeadlines watches one request at a time per connection.
        .setHttp2ClearTextEnabled(false)
        // Answers compressed when the client asks (Accept-Encoding): the dashboard's modules and
        // JSON shrink to a fraction; a phone on a slow link sees its first paint sooner.
        .setCompressionSupported(true)
        .setCompressors(compressors())
        // Browsers offer permessage-deflate; accepted, every frame would be compressed once per
        // socket with a deflater kept per connection (hundreds of KiB each): fan-out to thousands
        // of clients would pay that in CPU and memory to shrink frames of a few hundred bytes.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
    if (options.tls() != null) {
      server.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(options.tls().cert().toString()).setKeyPath(options.tls().key().toString()));
    }
    return server;
  }

  /**
   * Brotli where its native library loads, gzip and deflate always; Netty picks by the client's
   * Accept-Encoding, brotli first among equals. Quality 6: for the dashboard's modules 5 % smaller
   * than gzip in well under a millisecond each (Netty's default 4 is larger than gzip; 11 saves
   * 14 % but costs tens of milliseconds per answer).
   */
  static List<CompressionOptions> compressors() {
    List<CompressionOptions> compressors = new ArrayList<>();
    if (Brotli.isAvailable()) {
      compressors.add(StandardCompressionOptions.brotli(BROTLI_QUALITY, BROTLI_WINDOW, BrotliMode.TEXT));
    }
    compressors.add(StandardCompressionOptions.gzip());
    compressors.add(StandardCompressionOptions.deflate());
    return compressors;
  }
}
