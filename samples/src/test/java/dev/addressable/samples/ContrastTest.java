package dev.addressable.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The samples' status pill and muted text against the backgrounds they are drawn on, by WCAG 2's
 * contrast ratio (relative luminance, https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio): at least
 * 4.5:1, AA for text under 18.66 px bold. Each colour is named by the stylesheet text it comes
 * from, and the stylesheet (as the relay serves it, from the classpath) must still say exactly
 * that: a changed colour fails here rather than drifting past the test.
 */
class ContrastTest {

  /** A colour as a stylesheet under samples/ declares it: {@code text} occurs in {@code file} and ends in {@code #rrggbb}. */
  record Css(String file, String text) {
    String hex() {
      Matcher m = Pattern.compile("#[0-9a-fA-F]{6}").matcher(text);
      String last = null;
      while (m.find()) {
        last = m.group();
      }
      assertNotNull(last, "no #rrggbb in " + text);
      return last;
    }
  }

  /** Text drawn in one colour on another. */
  record Pair(String where, Css text, Css background) {
    @Override
    public String toString() {
      return where;
    }
  }

  // The shared tokens, style.css :root.
  static final Css CARD = new Css("style.css", "--card: #ffffff;");
  static final Css BG = new Css("style.css", "--bg: #f3f4f9;");
  static final Css MUTED = new Css("style.css", "--muted: #636a81;");
  static final Css ACCENT_SOFT = new Css("style.css", "--accent-soft: #efedff;");
  static final Css OK = new Css("style.css", "--ok: #0f7d4d;");
  static final Css OK_SOFT = new Css("style.css", "--ok-soft: #e4f6ed;");
  static final Css WARN = new Css("style.css", "--warn: #9c6100;");
  static final Css WARN_SOFT = new Css("style.css", "--warn-soft: #fff4dc;");
  static final Css DANGER = new Css("style.css", "--danger: #c92e2e;");
  static final Css DANGER_SOFT = new Css("style.css", "--danger-soft: #fde9e9;");

  static List<Pair> pairs() {
    return List.of(
        // style.css .state: the pill while connecting (and doorbell's "starting"), and .state[data-state="reconnecting"]
        new Pair("status pill, connecting or reconnecting", WARN, WARN_SOFT),
        // style.css .state[data-state="open"]
        new Pair("status pill, open", OK, OK_SOFT),
        // style.css .state[data-state="closed"]
        new Pair("status pill, closed", DANGER, DANGER_SOFT),
        // style.css .problem: why connecting or sending failed
        new Pair("failure reason", DANGER, DANGER_SOFT),
        // style.css .hint, .card h2, label, .muted on a card
        new Pair("muted text on a card", MUTED, CARD),
        // style.css .intro; index.html .hero p, footer
        new Pair("muted text on the page", MUTED, BG),
        // style.css ::placeholder in input, select, textarea
        new Pair("placeholder in a field", MUTED, new Css("style.css", "  background: #fbfbfe;")),
        // chat.css .messages .empty, on the darker end of the conversation's gradient
        new Pair("chat: no messages yet", MUTED, new Css("chat/chat.css", "background: linear-gradient(#fafaff, #f5f5fc);")),
        // notify.css .tag.todo
        new Pair("notify: to-do tag", MUTED, new Css("notify/notify.css", ".tag.todo { background: #f1f2f6")),
        // notify.css .history .notice with .history time
        new Pair("notify: time of a notice", MUTED, new Css("notify/notify.css", ".history .notice { background: #f7f8fc")),
        // notify.css .history .notice.urgent { background: var(--danger-soft) } with .history time
        new Pair("notify: time of an urgent notice", MUTED, DANGER_SOFT),
        // monitor.css .feed li.fresh { background: var(--accent-soft) } with .feed time
        new Pair("monitor: time of a fresh event", MUTED, ACCENT_SOFT),
        // monitor.css .tab (color: var(--muted)) under .tab:hover
        new Pair("monitor: sender tab under the pointer", MUTED, new Css("monitor/monitor.css", ".tab:hover { background: #f3f3f9")),
        // monitor.css .subscribed.on
        new Pair("monitor: following the topic", OK, CARD));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairs")
  void textKeepsAContrastOfAtLeast4point5(Pair pair) throws IOException {
    for (Css colour : List.of(pair.text(), pair.background())) {
      assertTrue(stylesheet(colour.file()).contains(colour.text()),
          colour.file() + " no longer says \"" + colour.text() + "\": update this test with the new colour");
    }
    double ratio = contrast(pair.text().hex(), pair.background().hex());
    assertTrue(ratio >= 4.5, String.format("%s: %s on %s is %.2f:1, below 4.5:1",
        pair.where(), pair.text().hex(), pair.background().hex(), ratio));
  }

  @Test
  void theFormulaGivesWcagsKnownRatios() {
    assertEquals(21.0, contrast("#000000", "#ffffff"), 1e-9);
    assertEquals(1.0, contrast("#5a4de0", "#5a4de0"), 1e-9);
    assertEquals(4.48, contrast("#777777", "#ffffff"), 0.005); // the grey famously just short of AA
    assertEquals(contrast("#ffffff", "#767676"), contrast("#767676", "#ffffff"), 1e-12);
    assertTrue(contrast("#767676", "#ffffff") >= 4.5); // and the one just past it
  }

  /** WCAG 2: (L1 + 0.05) / (L2 + 0.05), L1 the lighter colour's relative luminance. */
  static double contrast(String a, String b) {
    double la = luminance(a);
    double lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  /** WCAG 2's relative luminance of an sRGB {@code #rrggbb}. */
  static double luminance(String hex) {
    int rgb = Integer.parseInt(hex.substring(1), 16);
    return 0.2126 * linear(rgb >> 16 & 0xff) + 0.7152 * linear(rgb >> 8 & 0xff) + 0.0722 * linear(rgb & 0xff);
  }

  private static double linear(int channel) {
    double c = channel / 255.0;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }

  private static String stylesheet(String file) throws IOException {
    try (InputStream in = ContrastTest.class.getResourceAsStream("/samples/" + file)) {
      assertNotNull(in, "samples/" + file + " is not on the classpath");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
