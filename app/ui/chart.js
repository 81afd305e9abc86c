// Horizontal bar charts as inline SVG, drawn from data without a library. Horizontal bars keep long
// labels (country names) readable on a phone; a data table under each chart serves screen readers.

import { h, s } from "./dom.js";
import { t } from "./i18n.js";

const WIDTH = 360;
const LABEL_WIDTH = 112;
const VALUE_ROOM = 44;
const ROW = 22;
const GAP = 6;
const MAX_LABEL = 16;

let counter = 0;

function shorten(label) {
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
}

function bar(item, index, scale) {
  const y = index * (ROW + GAP);
  const width = Math.max(0, item.value * scale);
  return s("g", { class: "bar-row" },
    s("text", { class: "bar-label", x: LABEL_WIDTH - 8, y: y + ROW / 2, "text-anchor": "end", "dominant-baseline": "middle" },
      shorten(item.label)),
    s("rect", { class: "bar", x: LABEL_WIDTH, y, width: width.toFixed(1), height: ROW, rx: 2 },
      s("title", {}, `${item.label}: ${item.value}`)),
    s("text", { class: "bar-value", x: LABEL_WIDTH + width + 6, y: y + ROW / 2, "dominant-baseline": "middle" },
      String(item.value)));
}

function dataTable(bars, labelHeading, valueHeading) {
  return h("details", { class: "chart-data" },
    h("summary", {}, t("chart.data")),
    h("table", {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, labelHeading), h("th", { scope: "col" }, valueHeading))),
      h("tbody", {}, bars.map((b) => h("tr", {}, h("th", { scope: "row" }, b.label), h("td", {}, String(b.value)))))));
}

/**
 * A figure with a horizontal bar chart: `bars` is [{label, value}], drawn in the given order.
 * `labelHeading` / `valueHeading` name the two columns of the data table.
 */
export function barChart({ title, bars, labelHeading, valueHeading, testId }) {
  counter += 1;
  const titleId = `chart-title-${counter}`;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const scale = (WIDTH - LABEL_WIDTH - VALUE_ROOM) / max;
  const height = Math.max(ROW, bars.length * (ROW + GAP) - GAP);
  const total = bars.reduce((sum, b) => sum + b.value, 0);
  const svg = s("svg", {
    class: "chart", viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, role: "img", "aria-labelledby": titleId,
    preserveAspectRatio: "xMinYMin meet",
  },
  s("title", { id: titleId }, `${title} (${t("chart.total")}: ${total})`),
  bars.map((b, i) => bar(b, i, scale)));
  return h("figure", { class: "chart-figure", "data-testid": testId },
    h("figcaption", {}, title),
    bars.length ? svg : h("p", { class: "muted" }, t("chart.empty")),
    bars.length ? dataTable(bars, labelHeading, valueHeading) : null);
}
