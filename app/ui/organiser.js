// Organiser view: log in (OAuth2 password form), pick an event, read its report with charts drawn
// as inline SVG, download exports, start matching and scheduling runs and watch them. Public JSON API only.

import { ProblemError, allPages, api, clearMessage, download, showOk, showProblem } from "./api.js";
import { barChart } from "./chart.js";
import { byId, h, put, show } from "./dom.js";
import { clock, countryName, dateTime, day, number, percent } from "./format.js";
import { initLanguage, t } from "./i18n.js";

const TOKEN_KEY = "matchmaker.organiser-token";
const POLL_MS = 700;
const PICKER_SIZE = 50; // participants offered at once in the personal-link picker; search for others
const RUN_PATHS = { matching: "matching-runs", scheduling: "schedule-runs" };

const state = {
  token: null,
  me: null,
  events: [],
  event: null,
  report: null,
  plan: null,
  participants: [],
  watching: null, // {kind, job}: the run shown under Runs
};

const call = (path, options = {}) => api(path, { token: state.token, ...options });
const eventPath = (rest = "") => `/events/${state.event.id}${rest}`;

// --- log in / out -----------------------------------------------------------------------

function showLogin() {
  show(byId("organiser"), false);
  show(byId("login"));
  byId("email").focus();
}

async function logIn(event) {
  event.preventDefault();
  const area = byId("login-message");
  clearMessage(area);
  const data = new FormData(event.target);
  try {
    const answer = await api("/auth/token", {
      method: "POST", form: { username: data.get("username"), password: data.get("password") },
    });
    state.token = answer.access_token;
  } catch (err) {
    showProblem(area, err);
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, state.token);
  event.target.reset();
  await enter();
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  location.replace(location.pathname);
}

async function enter() {
  try {
    state.me = await call("/auth/me");
    if (state.me.role !== "organiser") throw new ProblemError({ title: t("error.http"), detail: t("participant.organiserToken") }, 403);
    state.events = await allPages("/events", state.token);
  } catch (err) {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin();
    showProblem(byId("login-message"), err);
    return;
  }
  show(byId("login"), false);
  show(byId("organiser"));
  renderWho();
  renderEventChoice();
  const wanted = Number(new URLSearchParams(location.hash.slice(1)).get("event"));
  const first = state.events.find((e) => e.id === wanted) || (state.events.length === 1 ? state.events[0] : null);
  if (first) {
    byId("event-select").value = String(first.id);
    await selectEvent(first.id);
  }
  document.body.dataset.ready = "true";
}

function renderWho() {
  const o = state.me.organiser;
  put(byId("whoami"), t("who.organiser", { name: o.name, email: o.email }));
}

// --- events -----------------------------------------------------------------------------

function renderEventChoice() {
  const select = byId("event-select");
  const chosen = select.value;
  put(select,
    h("option", { value: "" }, state.events.length ? t("events.choose") : t("events.none")),
    state.events.map((e) => h("option", { value: e.id }, `${e.name} (${day(e.starts_at, e.timezone)})`)));
  select.value = chosen;
}

async function selectEvent(id) {
  state.watching = null;
  renderJob();
  if (!id) {
    state.event = null;
    show(byId("event"), false);
    return;
  }
  history.replaceState(null, "", `#event=${id}`);
  try {
    state.event = await call(`/events/${id}`);
  } catch (err) {
    showProblem(byId("page-message"), err);
    return;
  }
  clearMessage(byId("page-message"));
  for (const id of ["runs-message", "report-message", "exports-message", "links-message"]) clearMessage(byId(id));
  show(byId("link-result"), false);
  renderEvent();
  show(byId("event"));
  await Promise.all([loadReport(), loadParticipants()]);
}

function renderEvent() {
  const e = state.event;
  put(byId("event-title"), e.name);
  put(byId("event-meta"),
    t("event.dates", { start: dateTime(e.starts_at, e.timezone), end: dateTime(e.ends_at, e.timezone), tz: e.timezone }),
    " · ", t("event.participants", { count: e.participant_count }),
    e.schedule_published ? ` · ${t("actions.published")}` : "");
}

// --- runs -------------------------------------------------------------------------------

async function startRun(kind, body) {
  const area = byId("runs-message");
  clearMessage(area);
  try {
    const job = await call(eventPath(`/${RUN_PATHS[kind]}`), { method: "POST", json: body });
    watch(kind, job);
  } catch (err) {
    showProblem(area, err);
  }
}

function watch(kind, job) {
  const watched = { kind, job, eventId: state.event.id };
  state.watching = watched;
  renderJob();
  const poll = async () => {
    if (state.watching !== watched) return; // another run or event took over the panel
    if (watched.job.status === "succeeded" || watched.job.status === "failed") {
      if (watched.job.status === "succeeded") await Promise.all([loadReport(), refreshEvent()]);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    try {
      watched.job = await call(`/events/${watched.eventId}/${RUN_PATHS[kind]}/${watched.job.id}`);
    } catch (err) {
      showProblem(byId("runs-message"), err);
      return;
    }
    if (state.watching === watched) renderJob();
    await poll();
  };
  poll();
}

function jobSummary(kind, job) {
  const r = job.result || {};
  if (job.status === "failed") return job.error || "";
  if (job.status !== "succeeded") return "";
  if (kind === "matching") return t("job.matchingDone", { suggestions: r.suggestions, participants: r.participants });
  const unplaced = Array.isArray(r.unplaced) ? r.unplaced.length : r.unplaced;
  return t("job.schedulingDone", { placed: r.placed, unplaced, solver: r.solver_status });
}

function renderJob() {
  const panel = byId("job");
  const w = state.watching;
  const running = Boolean(w && (w.job.status === "queued" || w.job.status === "running"));
  byId("run-matching").disabled = running;
  byId("run-schedule").disabled = running;
  if (!w) {
    panel.replaceChildren();
    delete panel.dataset.status;
    return;
  }
  panel.dataset.status = w.job.status;
  panel.dataset.kind = w.kind;
  const what = t(`job.${w.kind}`, { id: w.job.id });
  put(panel,
    h("p", {}, t("job.line", { what, status: t(`job.status.${w.job.status}`) })),
    running ? h("progress", { max: 1, value: w.job.progress, "aria-label": t("job.progress") }) : null,
    h("p", { class: w.job.status === "failed" ? "problem" : "muted" }, jobSummary(w.kind, w.job)));
}

async function refreshEvent() {
  try {
    state.event = await call(eventPath());
    renderEvent();
  } catch {
    // the report and the run status already say what matters
  }
}

async function publish() {
  const area = byId("runs-message");
  try {
    await call(eventPath("/schedule/publish"), { method: "POST" });
  } catch (err) {
    showProblem(area, err);
    return;
  }
  showOk(area, t("actions.published"));
  await refreshEvent();
}

// --- report -----------------------------------------------------------------------------

async function loadReport() {
  const area = byId("report-message");
  try {
    [state.report, state.plan] = await Promise.all([call(eventPath("/report")), call(eventPath("/table-plan"))]);
    clearMessage(area);
  } catch (err) {
    state.report = null;
    showProblem(area, err);
  }
  renderReport();
}

function figure(label, value) {
  return [h("dt", {}, label), h("dd", {}, value)];
}

function figures(r) {
  const m = r.meetings;
  return h("dl", { class: "figures" },
    figure(t("report.participants"), `${r.participants.total} (${r.participants.listed} ${t("report.listed")})`),
    figure(t("report.requests"), String(r.requests.sent)),
    figure(t("report.acceptance"), percent(r.acceptance_rate)),
    figure(t("report.scheduled"), String(m.scheduled)),
    figure(t("report.unscheduled"), String(m.unscheduled)),
    figure(t("report.meanMeetings"), number(r.meetings_per_participant.mean)),
    figure(t("report.without"), String(r.without_meetings.total)),
    figure(t("report.crossBorder"), percent(r.cross_border_share)),
    figure(t("report.countriesMet"), String(r.countries_met)),
    figure(t("report.gaps"), String(r.idle_gaps.total)));
}

function charts(r, plan) {
  const counts = r.meetings_per_participant.histogram;
  const most = Math.max(-1, ...Object.keys(counts).map(Number));
  // every count from 0 to the most, so a missing bar reads as "nobody has that many"
  const histogram = Array.from({ length: most + 1 }, (_, n) => ({ label: String(n), value: counts[n] || 0 }));
  const perSlot = (plan ? plan.slots : []).map((slot) => ({
    label: clock(slot.starts_at, plan.timezone),
    value: Object.values(slot.tables).filter(Boolean).length,
  }));
  const countries = Object.entries(r.countries).map(([code, people]) => ({ label: countryName(code), value: people }));
  return h("div", { class: "charts" },
    barChart({ title: t("chart.perParticipant"), bars: histogram, labelHeading: t("chart.meetings"),
      valueHeading: t("chart.people"), testId: "chart-per-participant" }),
    barChart({ title: t("chart.perSlot"), bars: perSlot, labelHeading: t("chart.slot"),
      valueHeading: t("chart.meetings"), testId: "chart-per-slot" }),
    barChart({ title: t("chart.countries"), bars: countries, labelHeading: t("chart.country"),
      valueHeading: t("chart.people"), testId: "chart-countries" }));
}

function renderReport() {
  const r = state.report;
  const box = byId("report");
  if (!r) {
    box.replaceChildren();
    return;
  }
  box.dataset.scheduled = String(r.meetings.scheduled);
  put(box, figures(r), charts(r, state.plan),
    h("p", { class: "muted" }, t("report.generated", { when: dateTime(r.generated_at, r.timezone) })));
}

// --- personal links ---------------------------------------------------------------------

async function loadParticipants(q = "") {
  const query = q ? `&q=${encodeURIComponent(q)}` : "";
  try {
    const page = await call(eventPath(`/participants?limit=${PICKER_SIZE}${query}`));
    state.participants = page.items;
    put(byId("link-count"), t("links.count", { shown: page.items.length, total: page.total }));
  } catch (err) {
    state.participants = [];
    showProblem(byId("links-message"), err);
  }
  put(byId("link-participant"), state.participants.map((p) =>
    h("option", { value: p.id }, `${p.name} — ${p.organisation.name}`)));
}

async function issueLink() {
  const area = byId("links-message");
  clearMessage(area);
  const id = Number(byId("link-participant").value);
  const person = state.participants.find((p) => p.id === id);
  if (!person) return;
  try {
    const answer = await call(eventPath(`/participants/${id}/access-token`), { method: "POST" });
    byId("link-url").value = answer.link;
    show(byId("link-result"));
    showOk(area, t("links.done", { name: person.name }));
  } catch (err) {
    showProblem(area, err);
  }
}

async function copyLink() {
  const input = byId("link-url");
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    showOk(byId("links-message"), t("copied"));
  } catch {
    // the text stays selected: copy by hand
  }
}

// --- wiring -----------------------------------------------------------------------------

async function exportFile(button) {
  const area = byId("exports-message");
  clearMessage(area);
  try {
    await download(eventPath(button.dataset.export), state.token, button.dataset.file);
  } catch (err) {
    showProblem(area, err);
  }
}

function renderAll() {
  if (!state.me) return;
  renderWho();
  renderEventChoice();
  if (state.event) {
    renderEvent();
    renderJob();
    renderReport();
  }
}

function wire() {
  byId("login-form").addEventListener("submit", logIn);
  byId("sign-out").addEventListener("click", signOut);
  byId("event-select").addEventListener("change", (e) => selectEvent(Number(e.target.value)));
  byId("run-matching").addEventListener("click", () => startRun("matching", undefined));
  byId("run-schedule").addEventListener("click", () => startRun("scheduling", {
    fill_from_suggestions: byId("fill").checked,
    time_limit: Math.min(300, Math.max(1, Number(byId("time-limit").value) || 10)),
  }));
  byId("publish").addEventListener("click", publish);
  byId("report-refresh").addEventListener("click", loadReport);
  byId("issue-link").addEventListener("click", issueLink);
  byId("link-search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    loadParticipants(byId("link-search").value.trim());
  });
  byId("link-copy").addEventListener("click", copyLink);
  for (const button of document.querySelectorAll("[data-export]")) {
    button.addEventListener("click", () => exportFile(button));
  }
}

async function start() {
  initLanguage(byId("lang"), renderAll);
  wire();
  state.token = sessionStorage.getItem(TOKEN_KEY);
  if (state.token) await enter();
  else showLogin();
}

start();
