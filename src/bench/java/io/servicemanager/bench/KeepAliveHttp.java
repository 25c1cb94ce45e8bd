package io.servicemanager.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 keep-alive connection driven from the calling thread, like {@code curl} in a loop.
 * The JDK's HttpClient hands every request between its own selector and executor threads, time a
 * benchmark of the server's overhead would otherwise count as ours.
 */
final class KeepAliveHttp implements AutoCloseable {
  record Response(int status, String body) {}

  private final String host;
  private final String authorization;
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  /** @param authorization the Authorization header sent with every request */
  KeepAliveHttp(String host, int port, String authorization) throws IOException {
    this.host = host + ":" + port;
    this.authorization = authorization;
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(30_000);
    socket.connect(new InetSocketAddress(host, port));
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream());
  }

  Response post(String path) throws IOException {
    return send("POST", path);
  }

  Response get(String path) throws IOException {
    return send("GET", path);
  }

  private Response send(String method, String path) throws IOException {
    out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + authorization
        + "\r\nContent-Length: 0\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String statusLine = line();
    int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
    int length = -1;
    for (String header = line(); !header.isEmpty(); header = line()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring("content-length:".length()).trim());
      } else if (lower.startsWith("transfer-encoding:")) {
        throw new IOException("chunked answers are not expected here: " + header);
      }
    }
    if (length < 0) {
      throw new IOException("answer without Content-Length to " + path);
    }
    byte[] body = in.readNBytes(length);
    if (body.length != length) {
      throw new IOException("connection closed inside the answer to " + path);
    }
    return new Response(status, new String(body, StandardCharsets.UTF_8));
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed by the server");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
