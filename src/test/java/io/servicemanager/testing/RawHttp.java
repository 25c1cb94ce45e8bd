package io.servicemanager.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one request per connection: the bytes go out exactly as written, so
 * nothing (no client library) repairs a malformed request before the server sees it.
 */
public final class RawHttp {
  private RawHttp() {}

  /**
   * @param status the status code, or -1 when the server closed or stayed silent without answering
   * @param headers lower-case names
   */
  public record Answer(int status, Map<String, String> headers, String body) {
    public boolean answered() {
      return status > 0;
    }
  }

  /** Sends {@code request} whole and reads one answer, waiting at most {@code timeout} for each read. */
  public static Answer exchange(int port, byte[] request, Duration timeout) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
      } catch (IOException e) {
        // The server may answer (and close) before it has read all of a refused request: read that answer.
      }
      return read(socket.getInputStream(), request);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Answer exchange(int port, String request, Duration timeout) {
    return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), timeout);
  }

  private static Answer read(InputStream in, byte[] request) throws IOException {
    String head;
    try {
      head = readHead(in);
    } catch (SocketTimeoutException | java.net.SocketException e) {
      return new Answer(-1, Map.of(), e.toString());
    }
    if (head == null) {
      return new Answer(-1, Map.of(), "closed without an answer");
    }
    String[] lines = head.split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    int status = Integer.parseInt(statusLine[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    boolean head0 = new String(request, 0, Math.min(5, request.length), StandardCharsets.ISO_8859_1).startsWith("HEAD ");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try {
      if (head0 || status == 204 || status == 304) {
        // no body
      } else if (headers.containsKey("content-length")) {
        body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
      } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        readChunks(in, body);
      } else {
        in.transferTo(body);
      }
    } catch (SocketTimeoutException e) {
      // A partial body is still an answer; the assertions on the body say what is wrong with it.
    }
    return new Answer(status, headers, body.toString(StandardCharsets.UTF_8));
  }

  private static void readChunks(InputStream in, ByteArrayOutputStream body) throws IOException {
    while (true) {
      String size = readLine(in);
      int n = Integer.parseInt(size.split(";")[0].trim(), 16);
      if (n == 0) {
        readLine(in);
        return;
      }
      body.write(in.readNBytes(n));
      readLine(in);
    }
  }

  /** The status line and headers, or null when the connection closed before any byte came. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return head.size() == 0 ? null : head.toString(StandardCharsets.ISO_8859_1);
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    return text.substring(0, text.length() - 4);
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }
}
