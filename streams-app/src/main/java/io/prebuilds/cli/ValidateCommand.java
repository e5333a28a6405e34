package io.prebuilds.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import io.prebuilds.schemas.Decoded;
import io.prebuilds.schemas.EventCodec;

/**
 * {@code prebuilds validate FILE...}: checks event files against the contract with the same codec
 * the service uses, so a producer can test its output before sending it. A {@code .jsonl} file has
 * one event per line; any other file holds one event or a JSON array of events. Each error is
 * printed with its file and line (or array index). Exit 1 when any event is invalid.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Validate event files (JSONL: one event per line; JSON: an event or an array).")
final class ValidateCommand implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Event files to validate.")
  List<Path> files;

  private final EventCodec codec = EventCodec.create();
  private int valid;
  private int invalid;

  @Override
  public Integer call() throws IOException {
    var out = spec.commandLine().getOut();
    for (Path file : files) {
      if (!Files.isReadable(file)) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "cannot read file " + file);
      }
      if (file.getFileName().toString().endsWith(".jsonl")) {
        validateLines(file, out);
      } else {
        validateDocument(file, out);
      }
    }
    out.printf("%d valid, %d invalid%n", valid, invalid);
    out.flush();
    return invalid == 0 ? Main.OK : Main.FAILURE;
  }

  private void validateLines(Path file, PrintWriter out) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        check(lines.get(i).getBytes(StandardCharsets.UTF_8), file + ":" + (i + 1), out);
      }
    }
  }

  private void validateDocument(Path file, PrintWriter out) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    JsonNode root;
    try {
      root = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      check(bytes, file.toString(), out);
      return;
    }
    if (root != null && root.isArray()) {
      for (int i = 0; i < root.size(); i++) {
        check(MAPPER.writeValueAsBytes(root.get(i)), file + "[" + i + "]", out);
      }
    } else {
      check(bytes, file.toString(), out);
    }
  }

  private void check(byte[] event, String where, PrintWriter out) {
    if (codec.decode(event) instanceof Decoded.Rejected<?> rejected) {
      invalid++;
      out.println(where + ": " + rejected.error().message());
    } else {
      valid++;
    }
  }
}
