package io.dragnet.cost.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dragnet.contracts.DragnetException;
import io.dragnet.cost.LedgerRow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A self-contained HTML page over ledger rows: Chart.js (from the org.webjars.npm:chart.js jar) is inlined, the data is
 * an inline JSON block, nothing is fetched, so the page works offline and can be mailed as one file.
 *
 * <p>The page reports on itself for tests and for readers: after drawing it sets {@code data-charts-rendered} on the body
 * to the number of charts drawn and {@code data-drawn-pixels} on each canvas; any script error is caught by
 * {@code window.onerror} into {@code #page-errors} and sets {@code data-page-errors} on the body.
 */
public final class HtmlReport
{
    static final String CHART_JS = "META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HtmlReport() {}

    public static String render(List<LedgerRow> rows, String from, String to)
    {
        List<DailyCost> days = DailyCost.of(rows);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("days", days.stream().map(DailyCost::date).toList());
        data.put("total", days.stream().map(day -> number(day.totalCost())).toList());
        data.put("onDemand", days.stream().map(day -> number(day.onDemandCost())).toList());
        data.put("savings", days.stream().map(day -> number(day.savings())).toList());
        data.put("savingsPercent", days.stream().map(day -> number(day.savingsPercent())).toList());
        data.put("costPerMillion", days.stream().map(day -> number(day.costPerMillionRecords())).toList());
        String json;
        try {
            json = MAPPER.writeValueAsString(data);
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        BigDecimal total = rows.stream().map(LedgerRow::totalCost).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
        BigDecimal onDemand = rows.stream().map(LedgerRow::onDemandCost).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
        long running = rows.stream().filter(LedgerRow::stillRunning).count();
        boolean estimate = rows.stream().anyMatch(LedgerRow::estimate);

        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>dragnet run costs ").append(escape(from)).append(" to ").append(escape(to)).append("</title>\n")
                .append("<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#1d2430}\n")
                .append("h1{font-size:22px;margin:0 0 4px}.sub{color:#5b6472;margin:0 0 16px}\n")
                .append(".cards{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:16px}.card{border:1px solid #d8dde5;border-radius:6px;padding:10px 14px;min-width:150px}")
                .append(".card b{display:block;font-size:20px}\n")
                .append(".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:16px}.chart{border:1px solid #d8dde5;border-radius:6px;padding:8px;height:280px;position:relative}\n")
                .append("table{border-collapse:collapse;margin-top:20px;width:100%;font-size:13px}th,td{border-bottom:1px solid #e3e6eb;padding:4px 8px;text-align:left}")
                .append("td.num{text-align:right;font-variant-numeric:tabular-nums}td{white-space:nowrap}td.fleet{white-space:normal}\n")
                .append("tr.still-running{background:#ffe3e0}.flag-running{color:#b00020;font-weight:bold}.flag-estimate{color:#8a5a00}\n")
                .append(".alert{background:#ffe3e0;border:2px solid #b00020;color:#7a0016;padding:8px 12px;border-radius:6px;margin-bottom:12px;font-weight:bold}\n")
                .append(".note{background:#fff6df;border:1px solid #e6c66a;padding:8px 12px;border-radius:6px;margin-bottom:12px}\n")
                .append("#page-errors{color:#b00020}\n")
                .append("</style>\n</head>\n<body>\n");
        html.append("<h1>dragnet daily runs: cost</h1>\n<p class=\"sub\">").append(escape(from)).append(" to ").append(escape(to))
                .append(" · ").append(rows.size()).append(" run(s) · USD · ").append(escape(LedgerRow.SCOPE)).append("</p>\n");
        if (running > 0) {
            html.append("<div class=\"alert\" id=\"still-running-alert\">").append(running)
                    .append(" run(s) were recorded while their cluster was STILL RUNNING: their cost is partial and rising. Check the clusters were terminated.</div>\n");
        }
        if (estimate) {
            html.append("<div class=\"note\">Figures of runs marked <i>estimate</i> are computed from the fleet the workflow requested and a price table "
                    + "(sample figures unless replaced), not from EMR's instance list and bills.</div>\n");
        }
        html.append("<div class=\"cards\">")
                .append(card("Total cost", "$" + total.toPlainString()))
                .append(card("At on-demand prices", "$" + onDemand.toPlainString()))
                .append(card("Spot saved", "$" + onDemand.subtract(total).toPlainString()))
                .append(card("Spot interruptions", Integer.toString(rows.stream().mapToInt(LedgerRow::spotInterruptions).sum())))
                .append("</div>\n");
        html.append("<div class=\"charts\">\n")
                .append("<div class=\"chart\"><canvas id=\"chart-daily-cost\" aria-label=\"Daily cost\"></canvas></div>\n")
                .append("<div class=\"chart\"><canvas id=\"chart-spot-savings\" aria-label=\"Spot savings\"></canvas></div>\n")
                .append("<div class=\"chart\"><canvas id=\"chart-cost-per-million\" aria-label=\"Cost per million records\"></canvas></div>\n")
                .append("</div>\n");
        html.append(runsTable(rows));
        html.append("<ul id=\"page-errors\"></ul>\n");
        html.append("<script>\nwindow.onerror=function(message,source,line){var li=document.createElement('li');li.textContent='script error: '+message+' ('+line+')';")
                .append("document.getElementById('page-errors').appendChild(li);document.body.setAttribute('data-page-errors',document.getElementById('page-errors').children.length);};\n</script>\n");
        html.append("<script type=\"application/json\" id=\"ledger-data\">").append(json.replace("<", "\\u003c")).append("</script>\n");
        html.append("<script>\n").append(chartJs().replace("</script", "<\\/script")).append("\n</script>\n");
        html.append("<script>\n").append(PAGE_SCRIPT).append("</script>\n");
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    private static final String PAGE_SCRIPT = """
            (function () {
              var data = JSON.parse(document.getElementById('ledger-data').textContent);
              var common = {animation: false, responsive: true, maintainAspectRatio: false, plugins: {legend: {position: 'bottom'}}};
              function options(title, extra) {
                var result = Object.assign({}, common, extra || {});
                result.plugins = Object.assign({}, common.plugins, {title: {display: true, text: title}});
                return result;
              }
              var charts = [
                new Chart(document.getElementById('chart-daily-cost'), {type: 'bar', data: {labels: data.days, datasets: [
                  {label: 'Cost (USD)', data: data.total, backgroundColor: '#3b6fd8', order: 1},
                  {label: 'At on-demand prices (USD)', data: data.onDemand, type: 'line', borderColor: '#b00020', backgroundColor: '#b00020'}]},
                  options: options('Daily cost')}),
                new Chart(document.getElementById('chart-spot-savings'), {type: 'bar', data: {labels: data.days, datasets: [
                  {label: 'Saved by spot (USD)', data: data.savings, backgroundColor: '#2e9e5b', yAxisID: 'y', order: 1},
                  {label: 'Savings %', data: data.savingsPercent, type: 'line', borderColor: '#8a5a00', backgroundColor: '#8a5a00', yAxisID: 'percent'}]},
                  options: options('Spot savings', {scales: {y: {position: 'left'}, percent: {position: 'right', min: 0, max: 100, grid: {drawOnChartArea: false}}}})}),
                new Chart(document.getElementById('chart-cost-per-million'), {type: 'line', data: {labels: data.days, datasets: [
                  {label: 'USD per million records', data: data.costPerMillion, borderColor: '#6a3bd8', backgroundColor: '#6a3bd8', spanGaps: true}]},
                  options: options('Cost per million records')})
              ];
              var drawn = 0;
              charts.forEach(function (chart) {
                var canvas = chart.canvas;
                var pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                var painted = 0;
                for (var i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) { painted++; } }
                canvas.setAttribute('data-drawn-pixels', painted);
                canvas.setAttribute('data-drawn-size', canvas.width + 'x' + canvas.height);
                if (painted > 0) { drawn++; }
              });
              document.body.setAttribute('data-charts-rendered', drawn);
            })();
            """;

    private static String runsTable(List<LedgerRow> rows)
    {
        StringBuilder html = new StringBuilder("<table id=\"runs\">\n<thead><tr><th>Date</th><th>Run</th><th>Status</th><th>Duration</th><th>Fleet</th>"
                + "<th>Cost $</th><th>On-demand $</th><th>Savings</th><th>Interruptions</th><th>Records</th><th>$ / M records</th><th>Flags</th></tr></thead>\n<tbody>\n");
        for (LedgerRow row : rows) {
            List<String> flags = new ArrayList<>();
            if (row.stillRunning()) {
                flags.add("<span class=\"flag-running\">STILL RUNNING</span>");
            }
            if (row.estimate()) {
                flags.add("<span class=\"flag-estimate\">estimate</span>");
            }
            html.append("<tr").append(row.stillRunning() ? " class=\"still-running\"" : "").append(" data-run-id=\"").append(escape(row.runId())).append("\">")
                    .append(cell(row.date())).append(cell(row.runId())).append(cell(row.status()))
                    .append(cell(RunsTable.duration(row.durationSeconds()))).append("<td class=\"fleet\">").append(escape(row.fleet().isEmpty() ? "-" : row.fleet())).append("</td>")
                    .append(number(row.totalCost().toPlainString())).append(number(row.onDemandCost().toPlainString()))
                    .append(number(row.savingsPercent().toPlainString() + " %")).append(number(Integer.toString(row.spotInterruptions())))
                    .append(number(Long.toString(row.recordsProcessed())))
                    .append(number(row.costPerMillionRecords() == null ? "-" : row.costPerMillionRecords().toPlainString()))
                    .append("<td title=\"").append(escape(row.note() == null ? "" : row.note())).append("\">").append(String.join(" ", flags)).append("</td>")
                    .append("</tr>\n");
        }
        return html.append("</tbody>\n</table>\n").toString();
    }

    private static String card(String label, String value)
    {
        return "<div class=\"card\">" + escape(label) + "<b>" + escape(value) + "</b></div>";
    }

    private static String cell(String text)
    {
        return "<td>" + escape(text) + "</td>";
    }

    private static String number(String text)
    {
        return "<td class=\"num\">" + escape(text) + "</td>";
    }

    private static Object number(BigDecimal value)
    {
        return value == null ? null : value.doubleValue();
    }

    static String escape(String text)
    {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    static String chartJs()
    {
        try (InputStream stream = HtmlReport.class.getClassLoader().getResourceAsStream(CHART_JS)) {
            if (stream == null) {
                throw new DragnetException(DragnetException.Category.INTERNAL, "Chart.js is not on the classpath (" + CHART_JS + "): the org.webjars.npm:chart.js jar is missing");
            }
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
