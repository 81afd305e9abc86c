// Dates in the event's time zone, country names and numbers in the page's language (Intl, no library).

import { getLang } from "./i18n.js";

function locale() {
  return getLang() === "ro" ? "ro-RO" : "en-GB";
}

/** "Tue 1 Jul, 14:00" in the given IANA time zone. */
export function dateTime(iso, timeZone) {
  return new Intl.DateTimeFormat(locale(), {
    timeZone, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
  }).format(new Date(iso));
}

/** "14:20" in the given time zone. */
export function clock(iso, timeZone) {
  return new Intl.DateTimeFormat(locale(), { timeZone, hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}

/** "Tue 1 Jul, 14:00–14:20" in the given time zone. */
export function timeRange(startIso, endIso, timeZone) {
  return endIso ? `${dateTime(startIso, timeZone)}–${clock(endIso, timeZone)}` : dateTime(startIso, timeZone);
}

/** "1 Jul 2025" in the given time zone. */
export function day(iso, timeZone) {
  return new Intl.DateTimeFormat(locale(), { timeZone, day: "numeric", month: "short", year: "numeric" })
    .format(new Date(iso));
}

/** "Sweden" for "SE" (the page's language); the code itself when the browser does not know it. */
export function countryName(code) {
  try {
    return new Intl.DisplayNames([locale()], { type: "region" }).of(code) || code;
  } catch {
    return code;
  }
}

export function percent(fraction, digits = 0) {
  if (fraction === null || fraction === undefined) return "–";
  return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: digits }).format(fraction);
}

export function number(value, digits = 1) {
  if (value === null || value === undefined) return "–";
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(value);
}
