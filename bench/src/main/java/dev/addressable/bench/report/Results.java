package dev.addressable.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The results file: one JSON object per line, appended by every scenario run. Each line carries
 * {@code ts}, {@code run} (one id for one invocation of run.sh), {@code system}, {@code scenario},
 * {@code figures} (name → number) and the context needed to judge them (generator and server CPU,
 * the relay's JVM flags, the commit).
 */
public final class Results {

  static final ObjectMapper JSON = new ObjectMapper();

  private Results() {}

  public static ObjectNode newRecord() {
    return JSON.createObjectNode();
  }

  public static synchronized void append(Path file, ObjectNode record) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, record.toString() + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Every record of {@code run}, in file order; a later record of the same system and scenario wins. */
  public static List<JsonNode> ofRun(Path file, String run) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode node = JSON.readTree(line);
      if (node.path("run").asText().equals(run)) {
        out.removeIf(n -> n.path("system").asText().equals(node.path("system").asText())
            && n.path("scenario").asText().equals(node.path("scenario").asText()));
        out.add(node);
      }
    }
    return out;
  }

  /** The run id of the last line in the file. */
  public static String lastRun(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (!lines.get(i).isBlank()) {
        return JSON.readTree(lines.get(i)).path("run").asText();
      }
    }
    throw new IOException("no results in " + file);
  }
}
