package io.prebuilds.runtime.api;

import java.time.Clock;
import java.util.List;

import io.prebuilds.runtime.http.Request;
import io.prebuilds.runtime.http.Response;

/**
 * The page a person opens at {@code /}: one row per preset with desired, running and eligible
 * prebuilds, what is in flight, the status, backoff and the last decision explained. The table is
 * rendered on the server (so the numbers are in the HTML itself) and re-fetched from {@code
 * /status/table} every few seconds by a few lines of script; no build step, no external assets.
 */
final class StatusPage {
  static final int REFRESH_SECONDS = 3;
  private static final String HTML = "text/html; charset=utf-8";

  private final PresetApi api;
  private final Clock clock;

  StatusPage(PresetApi api, Clock clock) {
    this.api = api;
    this.clock = clock;
  }

  Response page(Request request) {
    return Response.text(200, HTML, page(table()));
  }

  Response table(Request request) {
    return Response.text(200, HTML, table());
  }

  private String table() {
    var gathered = api.gather(false);
    return render(gathered.presets(), gathered.instances(), clock.instant().toString());
  }

  /** The table fragment: a pure function of what was gathered. */
  static String render(
      List<PresetView> presets, List<PresetApi.InstanceAnswer> instances, String renderedAt) {
    var html = new StringBuilder();
    html.append("<p class=\"meta\">")
        .append(presets.size())
        .append(presets.size() == 1 ? " preset" : " presets")
        .append(" · updated ")
        .append(escape(renderedAt));
    for (var instance : instances) {
      if (instance.error() != null) {
        html.append(" · <span class=\"warn\">")
            .append(escape(instance.server()))
            .append(": ")
            .append(escape(instance.error()))
            .append("</span>");
      }
    }
    html.append("</p>\n");
    if (presets.stream().anyMatch(PresetView::paused)) {
      html.append("<p class=\"warn\">Reconciliation is paused: no creates or deletes.</p>\n");
    }
    if (presets.isEmpty()) {
      html.append(
          "<p>No presets yet: publish a template to <code>prebuilds.templates.v1</code>.</p>\n");
      return html.toString();
    }
    html.append("<table>\n<thead><tr>")
        .append("<th>Organization / template / preset</th><th>Desired</th><th>Running</th>")
        .append("<th>Eligible</th><th>In flight</th><th>Status</th><th>Backoff until</th>")
        .append("<th>Totals</th><th>Last decision</th></tr></thead>\n<tbody>\n");
    for (var preset : presets) {
      row(html, preset);
    }
    html.append("</tbody>\n</table>\n");
    return html.toString();
  }

  private static void row(StringBuilder html, PresetView p) {
    var healthy =
        p.running() >= p.desired() && p.eligible() == p.running() && p.status().equals("normal");
    html.append("<tr id=\"preset-")
        .append(escape(p.presetId()))
        .append("\" class=\"")
        .append(healthy ? "ok" : "attention")
        .append("\">");
    cell(
        html,
        escape(p.organizationName())
            + " / "
            + escape(p.templateName())
            + " / <b>"
            + escape(p.presetName())
            + "</b>"
            + (p.active() ? "" : " <i>(inactive)</i>")
            + "<br><small>"
            + escape(p.presetId())
            + "</small>");
    numberCell(html, "desired", p.desired());
    numberCell(html, "running", p.running());
    numberCell(html, "eligible", p.eligible());
    cell(
        html,
        "starting "
            + p.starting()
            + ", deleting "
            + p.deleting()
            + (p.expired() > 0 ? ", expired " + p.expired() : "")
            + (p.extraneous() > 0 ? ", extraneous " + p.extraneous() : "")
            + (p.timedOut() > 0 ? ", timed out " + p.timedOut() : ""));
    var status = escape(p.status());
    if (p.quarantined()) {
      status +=
          " <span class=\"warn\">quarantined"
              + (p.quarantineReason() == null ? "" : ": " + escape(p.quarantineReason()))
              + "</span>";
    }
    if (p.paused()) {
      status += " (paused)";
    }
    cell(html, status);
    cell(html, p.backoffUntil() == null ? "–" : escape(p.backoffUntil()));
    var c = p.counters();
    cell(
        html,
        "created <span data-field=\"created\">"
            + c.createdTotal()
            + "</span>, failed "
            + c.failedTotal()
            + ", claimed <span data-field=\"claimed\">"
            + c.claimedTotal()
            + "</span>, replacements "
            + c.resourceReplacementsTotal());
    var explanation = new StringBuilder("<ul>");
    for (var line : p.explanation()) {
      explanation.append("<li>").append(escape(line)).append("</li>");
    }
    explanation.append("</ul>");
    cell(html, explanation.toString());
    html.append("</tr>\n");
  }

  private static void numberCell(StringBuilder html, String field, int value) {
    html.append("<td class=\"num\" data-field=\"")
        .append(field)
        .append("\">")
        .append(value)
        .append("</td>");
  }

  private static void cell(StringBuilder html, String content) {
    html.append("<td>").append(content).append("</td>");
  }

  static String escape(String text) {
    if (text == null) {
      return "";
    }
    var escaped = new StringBuilder(text.length());
    for (var ch : text.toCharArray()) {
      switch (ch) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(ch);
      }
    }
    return escaped.toString();
  }

  private static String page(String table) {
    return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Prebuilds</title>
        <style>
          body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d2330; }
          h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
          table { border-collapse: collapse; width: 100%%; }
          th, td { border-bottom: 1px solid #dde1e8; padding: .4rem .5rem; text-align: left;
                   vertical-align: top; }
          th { background: #f3f5f8; font-weight: 600; }
          td.num { text-align: right; font-variant-numeric: tabular-nums; font-size: 1.1rem; }
          tr.attention td:first-child { border-left: 4px solid #d98e04; }
          tr.ok td:first-child { border-left: 4px solid #2f9e44; }
          ul { margin: 0; padding-left: 1.1rem; }
          .meta { color: #5c6675; }
          .warn { color: #b3261e; }
          small { color: #5c6675; }
        </style>
        </head>
        <body>
        <h1>Prebuilt workspace pools</h1>
        <p class="meta">Desired vs running vs eligible (claimable) per preset. Refreshes every
        %d s. JSON: <a href="/api/v1/presets">/api/v1/presets</a> · metrics:
        <a href="/metrics">/metrics</a></p>
        <div id="pools">
        %s</div>
        <script>
          setInterval(async () => {
            try {
              const response = await fetch('/status/table', { cache: 'no-store' });
              if (response.ok) {
                document.getElementById('pools').innerHTML = await response.text();
              }
            } catch (e) {
              /* the next refresh tries again */
            }
          }, %d);
        </script>
        </body>
        </html>
        """
        .formatted(REFRESH_SECONDS, table, REFRESH_SECONDS * 1000);
  }
}
