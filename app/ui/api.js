// The public JSON API, nothing else: fetch with the bearer token, RFC 9457 problems as errors.

import { h, put } from "./dom.js";
import { t } from "./i18n.js";

export const API = "/api/v1";

/** An answer that is not 2xx, carrying its problem details (RFC 9457). */
export class ProblemError extends Error {
  constructor(problem, status) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.problem = problem;
    this.status = status;
  }
}

async function problemOf(response) {
  const type = response.headers.get("content-type") || "";
  if (type.includes("json")) {
    try {
      return await response.json();
    } catch {
      // fall through: a broken body still gets a readable message
    }
  }
  return { title: response.statusText || t("error.http"), status: response.status, detail: null };
}

async function send(path, options) {
  try {
    return await fetch(API + path, { credentials: "omit", cache: "no-store", ...options });
  } catch (err) {
    throw new ProblemError({ title: t("error.network"), detail: String(err.message || err) }, 0);
  }
}

/**
 * Call the API. `json` sends a JSON body, `form` a URL-encoded form; 204 gives null.
 * Throws ProblemError for every non-2xx answer.
 */
export async function api(path, { method = "GET", token, json, form } = {}) {
  const headers = { Accept: "application/json, application/problem+json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    body = new URLSearchParams(form);
  }
  const response = await send(path, { method, headers, body });
  if (!response.ok) throw new ProblemError(await problemOf(response), response.status);
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") || "";
  return type.includes("json") ? response.json() : response.text();
}

/** Every item of a paged list (`{items, total, limit, offset}`), page by page. */
export async function allPages(path, token, limit = 200) {
  const items = [];
  const join = path.includes("?") ? "&" : "?";
  for (let offset = 0; ; offset += limit) {
    const page = await api(`${path}${join}limit=${limit}&offset=${offset}`, { token });
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return items;
  }
}

function filenameOf(disposition, fallback) {
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition || "");
  return match ? decodeURIComponent(match[1]) : fallback;
}

/**
 * Download a file the API serves only with the Authorization header: fetch it, then save it
 * from a blob URL. The token never goes into a URL.
 */
export async function download(path, token, fallbackName) {
  const response = await send(path, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new ProblemError(await problemOf(response), response.status);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filenameOf(response.headers.get("content-disposition"), fallbackName) });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A problem as readable text: "Conflict: There is already an open request…". */
export function problemText(err) {
  if (!(err instanceof ProblemError)) return `${t("error.unexpected")}: ${err && err.message ? err.message : err}`;
  const { title, detail } = err.problem;
  return detail ? `${title || t("error.http")}: ${detail}` : title || t("error.http");
}

/** Show a problem in a message area: the title and detail, then each field problem. */
export function showProblem(area, err) {
  const errors = (err instanceof ProblemError && Array.isArray(err.problem.errors)) ? err.problem.errors : [];
  const items = errors.map((e) => h("li", {}, `${(e.loc || []).filter((p) => p !== "body").join(" › ")}: ${e.msg}`));
  area.classList.remove("ok");
  area.classList.add("problem");
  put(area, h("span", {}, problemText(err)), items.length ? h("ul", {}, items) : null);
  area.hidden = false;
}

/** Show a success message in a message area. */
export function showOk(area, ...children) {
  area.classList.remove("problem");
  area.classList.add("ok");
  put(area, ...children);
  area.hidden = false;
}

export function clearMessage(area) {
  area.classList.remove("problem", "ok");
  area.replaceChildren();
  area.hidden = true;
}
