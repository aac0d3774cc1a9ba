package dev.addressable.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Draws the headline figures as small bar panels, Addressable beside Nchan (and, when the run has
 * them, both over Redis), each panel on its own scale with the values written on the bars and
 * whether lower or higher is better. Java2D only, headless.
 */
final class Chart {

  private static final Color ADDRESSABLE = new Color(0x2b6cb0);
  private static final Color NCHAN = new Color(0xdd6b20);
  private static final Color ADDRESSABLE_REDIS = new Color(0x63b3ed);
  private static final Color NCHAN_REDIS = new Color(0xf6ad55);
  private static final Color OTHER = new Color(0x718096);
  private static final Color INK = new Color(0x1a202c);
  private static final Color GRID = new Color(0xe2e8f0);
  private static final Set<String> HEADLINE = Set.of(
      "latency/p50_ms", "latency/p99_ms", "latency/p999_ms", "throughput/delivered_per_s", "throughput/p99_ms",
      "memory10k/kb_per_poll", "memory19k/kb_per_poll", "fanout1k/all_have_it_median_ms",
      "fanout10k/all_have_it_median_ms", "memory100k/kb_per_poll", "memory100k/pss_kb_per_poll", "latency100k/p50_ms",
      "latency100k/p99_ms", "topic100k/all_have_it_median_ms", "topic100k/median_receiver_ms");

  private Chart() {}

  static void write(String run, List<Report.Row> all, List<Systems.Column> present, Path file) throws IOException {
    // Today's two-system chart draws both bars always; more systems get one bar each.
    boolean two = Systems.onlyTheFirstTwo(present);
    List<Systems.Column> shown = two ? Systems.KNOWN.stream()
        .filter(c -> c.name().equals(Systems.ADDRESSABLE) || c.name().equals(Systems.NCHAN)).toList() : present;
    List<Systems.Ratio> ratios = two ? List.of(Systems.RATIOS.get(0)) : Systems.ratios(present);
    System.setProperty("java.awt.headless", "true");
    List<Report.Row> rows = new ArrayList<>();
    for (Report.Row r : all) {
      if (HEADLINE.contains(r.figure().scenario() + "/" + r.figure().key())) {
        rows.add(r);
      }
    }
    int cols = 3;
    int panelW = 400;
    int panelH = 250;
    int top = two ? 90 : 104;
    int gridRows = (rows.size() + cols - 1) / cols;
    int width = cols * panelW;
    int height = top + gridRows * panelH + 20;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);

    g.setColor(INK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
    g.drawString("Addressable vs Nchan, same machine, same run (" + run + ")", 20, 34);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
    if (two) {
      legend(g, 20, 62, ADDRESSABLE, "Addressable (Java relay)");
      legend(g, 250, 62, NCHAN, "Nchan (nginx module)");
      g.drawString("loopback, 2 cores shared with the load generator", 470, 67);
    } else {
      int x = 20;
      for (Systems.Column c : shown) {
        legend(g, x, 62, color(c.name()), c.title());
        x += 22 + g.getFontMetrics().stringWidth(c.title()) + 24;
      }
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      g.drawString("loopback, 2 cores shared with the load generator; ratios in each panel: "
          + String.join(", ", ratios.stream().map(Systems.Ratio::title).toList()), 20, 90);
    }

    for (int i = 0; i < rows.size(); i++) {
      panel(g, rows.get(i), shown, ratios, (i % cols) * panelW, top + (i / cols) * panelH, panelW, panelH);
    }
    g.dispose();
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    ImageIO.write(image, "png", file.toFile());
  }

  private static void legend(Graphics2D g, int x, int y, Color color, String text) {
    g.setColor(color);
    g.fillRect(x, y - 6, 16, 16);
    g.setColor(INK);
    g.drawString(text, x + 22, y + 7);
  }

  private static Color color(String system) {
    return switch (system) {
      case "addressable" -> ADDRESSABLE;
      case "addressable-redis" -> ADDRESSABLE_REDIS;
      case "nchan" -> NCHAN;
      case "nchan-redis" -> NCHAN_REDIS;
      default -> OTHER;
    };
  }

  private static void panel(Graphics2D g, Report.Row row, List<Systems.Column> shown, List<Systems.Ratio> ratios,
      int x, int y, int w, int h) {
    Figure f = row.figure();
    int pad = 16;
    g.setColor(GRID);
    g.setStroke(new BasicStroke(1));
    g.drawRect(x + 8, y + 4, w - 16, h - 12);
    g.setColor(INK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(shortTitle(f), x + pad, y + 26);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    String target = f.target().isEmpty() ? "" : f.target().startsWith("max:")
        ? "   target ≤ " + f.target().substring(4) + " " + f.unit()
        : "   target " + (f.lowerIsBetter() ? "≤" : "≥") + " Nchan";
    List<String> shownRatios = new ArrayList<>();
    for (Systems.Ratio r : ratios) {
      Double v = row.ratio(r.numerator(), r.denominator());
      shownRatios.add(v == null ? "–" : String.format("%.2f×", v));
    }
    boolean anyRatio = shownRatios.stream().anyMatch(v -> !v.equals("–"));
    String sub = (f.lowerIsBetter() ? "lower is better" : "higher is better")
        + (!anyRatio ? "" : (shownRatios.size() == 1 ? "   ratio " : "   ratios ") + String.join(" / ", shownRatios))
        + target;
    g.setColor(new Color(0x4a5568));
    g.drawString(sub, x + pad, y + 44);

    double max = 1e-9;
    for (Systems.Column c : shown) {
      Double v = row.value(c.name());
      max = Math.max(max, v == null ? 0 : v);
    }
    int k = shown.size();
    int baseY = y + h - 40;
    int barTop = y + 70;
    int gap = k == 2 ? 50 : 16;
    int barW = k == 2 ? 90 : Math.min(70, (w - 2 * pad - (k - 1) * gap) / k);
    int x0 = x + (w - k * barW - (k - 1) * gap) / 2;
    for (int i = 0; i < k; i++) {
      Double v = row.value(shown.get(i).name());
      int bx = x0 + i * (barW + gap);
      bar(g, bx, baseY, barW, (int) ((baseY - barTop) * (v == null ? 0 : v) / max), color(shown.get(i).name()), v, f.unit(),
          k == 2 ? 13 : 11);
    }
    g.setColor(INK);
    g.drawLine(x + pad, baseY, x + w - pad, baseY);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, k == 2 ? 12 : 10));
    for (int i = 0; i < k; i++) {
      String title = k == 2 ? shown.get(i).title() : shown.get(i).title().replace(" over Redis", " + Redis");
      center(g, title, x0 + i * (barW + gap) + barW / 2, baseY + 18);
    }
  }

  private static void bar(Graphics2D g, int x, int baseY, int w, int height, Color color, Double value, String unit,
      int fontSize) {
    int hgt = Math.max(value == null ? 0 : 2, height);
    g.setColor(color);
    g.fillRect(x, baseY - hgt, w, hgt);
    g.setColor(INK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, fontSize));
    center(g, value == null ? "n/a" : Report.number(value) + (unit.isEmpty() ? "" : " " + unit), x + w / 2, baseY - hgt - 6);
  }

  private static void center(Graphics2D g, String text, int cx, int y) {
    FontMetrics m = g.getFontMetrics();
    g.drawString(text, cx - m.stringWidth(text) / 2, y);
  }

  private static String shortTitle(Figure f) {
    return switch (f.scenario() + "/" + f.key()) {
      case "latency/p50_ms" -> "Latency p50 (10k parked, 500/s)";
      case "latency/p99_ms" -> "Latency p99 (10k parked, 500/s)";
      case "latency/p999_ms" -> "Latency p99.9 (10k parked, 500/s)";
      case "throughput/delivered_per_s" -> "Throughput, 2k parked (msgs/s)";
      case "throughput/p99_ms" -> "p99 at full throughput";
      case "memory10k/kb_per_poll" -> "RSS per parked poll, 10k";
      case "memory19k/kb_per_poll" -> "RSS per parked poll, 19k";
      case "fanout1k/all_have_it_median_ms" -> "Fan-out: 1k all have it";
      case "fanout10k/all_have_it_median_ms" -> "Fan-out: 10k all have it";
      case "memory100k/kb_per_poll" -> "RSS per parked poll, 100k, all processes";
      case "memory100k/pss_kb_per_poll" -> "PSS per parked poll, 100k, all processes";
      case "latency100k/p50_ms" -> "Latency p50 (100k parked, 500/s)";
      case "latency100k/p99_ms" -> "Latency p99 (100k parked, 500/s)";
      case "topic100k/all_have_it_median_ms" -> "Topic to 100k: all have it";
      case "topic100k/median_receiver_ms" -> "Topic to 100k: median receiver";
      default -> f.title();
    };
  }
}
