package io.flotilla.cli;

import io.flotilla.api.InvalidInputException;
import io.flotilla.api.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reads input files (or standard input for "-") as UTF-8, turning failures into clear errors. */
final class InputFiles {
  /** Inputs above this size are refused: manifests are small, and this keeps memory bounded. */
  static final long MAX_BYTES = 16L << 20;

  private InputFiles() {}

  static String read(String name, InputStream stdin) {
    try {
      byte[] bytes;
      if (name.equals("-")) {
        bytes = stdin.readNBytes((int) MAX_BYTES + 1);
      } else {
        Path p = Path.of(name);
        if (Files.isDirectory(p)) {
          throw bad(name, "is a directory, not a file");
        }
        if (Files.size(p) > MAX_BYTES) {
          throw bad(name, "is larger than " + (MAX_BYTES >> 20) + " MiB");
        }
        bytes = Files.readAllBytes(p);
      }
      if (bytes.length > MAX_BYTES) {
        throw bad(name, "is larger than " + (MAX_BYTES >> 20) + " MiB");
      }
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (NoSuchFileException e) {
      throw bad(name, "no such file");
    } catch (AccessDeniedException e) {
      throw bad(name, "permission denied");
    } catch (CharacterCodingException e) {
      throw bad(name, "is not UTF-8 text");
    } catch (IOException e) {
      throw bad(name, "cannot be read: " + e.getMessage());
    }
  }

  private static InvalidInputException bad(String name, String why) {
    return new InvalidInputException(name, List.of(new Problem("", why)));
  }
}
