package io.servicemanager.cli;

import io.servicemanager.watch.FeedWatcher;
import io.servicemanager.watch.WatchTarget;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Streams a running server's /ws feed to stdout as JSON lines, for scripts and jq; connection
 * state goes to stderr. Runs until Ctrl-C, reconnecting on its own.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Stream a server's snapshots, status changes and operations as JSON lines (one /ws frame per "
        + "line) to stdout; connection state goes to stderr. Reconnects on its own (0.5 s … 10 s); Ctrl-C stops.",
        "Example: service-manager watch --url http://127.0.0.1:8080 | jq -c 'select(.type == \"status\")'"})
public final class WatchCommand implements Callable<Integer> {
  @Option(names = "--url", paramLabel = "URL", required = true,
      description = "The server (http://HOST:PORT, https://…) or its feed (ws://HOST:PORT/ws, wss://…).")
  String url;

  @Option(names = "--token", paramLabel = "T", description = "Sent as 'Authorization: Bearer T' when connecting.")
  String token;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    WatchTarget target = target();
    // UTF-8 whatever the locale: service names and descriptions may hold any character.
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    Promise<Integer> outcome = Promise.promise();
    Vertx vertx = Vertx.vertx();
    FeedWatcher watcher = new FeedWatcher(vertx, target, token, line -> {
      out.println(line);
      if (out.checkError()) {
        outcome.tryComplete(0); // the reader went away (`watch | head -3`): done, like any filter
      }
    }, message -> System.err.println("watch: " + message));
    Thread onCtrlC = new Thread(() -> {
      watcher.stop().await();
      vertx.close().await();
      System.err.println("watch: stopped");
    }, "watch-shutdown");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    watcher.start().onComplete(outcome);
    int status = outcome.future().await();
    Runtime.getRuntime().removeShutdownHook(onCtrlC);
    watcher.stop().await();
    vertx.close().await();
    return status;
  }

  private WatchTarget target() {
    if (token != null && !token.matches("[\\x21-\\x7e]+")) {
      throw new ParameterException(spec.commandLine(), "--token must be printable ASCII without spaces");
    }
    try {
      return WatchTarget.parse(url);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
