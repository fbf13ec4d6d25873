package io.flotilla.cli;

import io.flotilla.api.InvalidInputException;
import io.flotilla.api.Problem;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How a client command reaches the control plane: its URL and bearer token. The token is the {@code
 * --token} option, else {@code FLOTILLA_TOKEN}, else the token file the server wrote (when the
 * command runs where the server's data directory is).
 */
final class ServerOptions {
  @Option(
      names = "--server",
      paramLabel = "URL",
      defaultValue = "${env:FLOTILLA_SERVER:-http://127.0.0.1:8080}",
      description = "The Flotilla server (env FLOTILLA_SERVER; default: ${DEFAULT-VALUE}).")
  String server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:FLOTILLA_TOKEN}",
      description = "The server's bearer token (env FLOTILLA_TOKEN; else --token-file).")
  String token;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      defaultValue = ".flotilla/server/token",
      description = "Where to read the token when none is given (default: ${DEFAULT-VALUE}).")
  Path tokenFile;

  /**
   * A client for the chosen server.
   *
   * @throws InvalidInputException when the URL is not an http(s) URL, or the token file cannot be
   *     read
   */
  ApiClient client() {
    return new ApiClient(uri(), token());
  }

  private URI uri() {
    try {
      URI u = new URI(server.endsWith("/") ? server : server + "/");
      if (u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
        throw bad(
            "--server",
            "must be an http or https URL such as http://127.0.0.1:8080, got \"" + server + "\"");
      }
      return u;
    } catch (URISyntaxException e) {
      throw bad("--server", "is not a URL: " + e.getMessage());
    }
  }

  private Optional<String> token() {
    if (token != null && !token.isBlank()) {
      return Optional.of(token.strip());
    }
    if (tokenFile != null && Files.isRegularFile(tokenFile)) {
      try {
        String t = Files.readString(tokenFile, StandardCharsets.US_ASCII).strip();
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
      } catch (IOException e) {
        throw bad("--token-file", tokenFile + " cannot be read: " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  private static InvalidInputException bad(String option, String why) {
    return new InvalidInputException(option, List.of(new Problem("", why)));
  }
}
