// Participant view: opened from the personal link (/ui/#token=…). Suggestions with their reasons,
// meeting requests both ways, and the agenda in the event's time zone. Public JSON API only.

import { API, ProblemError, api, clearMessage, download, showOk, showProblem } from "./api.js";
import { byId, h, put, show } from "./dom.js";
import { countryName, dateTime, percent, timeRange } from "./format.js";
import { initLanguage, kindLabel, reasonCode, t, typeLabel } from "./i18n.js";

const TOKEN_KEY = "matchmaker.participant-token";
const PAGE = 20;

const state = {
  token: null,
  me: null, // {participant_id, event_id}
  event: null,
  timezone: "UTC",
  profile: null,
  sectors: new Map(), // slug -> name
  suggestions: [],
  suggestionsTotal: 0,
  incoming: [],
  outgoing: [],
  agenda: null,
  people: new Map(), // participant id -> public profile, or null when not visible
  notes: new Map(), // partner id -> {ok, text} | {ok: false, err}: the last action's outcome on a card
};

/** The token from the link's fragment (never sent to the server), kept for this tab only. */
function takeToken() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
  const fromQuery = new URLSearchParams(location.search).get("token");
  const token = fromHash || fromQuery;
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    // Out of the address bar and the history: not bookmarked, not shared by accident.
    history.replaceState(null, "", location.pathname);
  }
  return token || sessionStorage.getItem(TOKEN_KEY);
}

const call = (path, options = {}) => api(path, { token: state.token, ...options });
const eventPath = (rest = "") => `/events/${state.me.event_id}${rest}`;
const myPath = (rest = "") => eventPath(`/participants/${state.me.participant_id}${rest}`);

// --- people ---------------------------------------------------------------------------

async function learnPeople(ids) {
  const unknown = [...new Set(ids)].filter((id) => !state.people.has(id));
  await Promise.all(unknown.map(async (id) => {
    try {
      state.people.set(id, await call(eventPath(`/participants/${id}`)));
    } catch {
      state.people.set(id, null); // no longer listed, or removed: shown by number
    }
  }));
}

function orgLine(p) {
  const org = p.organisation;
  const place = [org.city, countryName(org.country)].filter(Boolean).join(", ");
  return [p.job_title, org.name, kindLabel(org.kind), place].filter(Boolean).join(" · ");
}

function personName(id) {
  const p = state.people.get(id);
  return p ? p.name : t("person.unknown", { id });
}

function personBlock(id, headingId) {
  const p = state.people.get(id);
  return [h("strong", { id: headingId }, personName(id)), p ? h("span", { class: "muted" }, ` — ${orgLine(p)}`) : null];
}

// --- who am I ---------------------------------------------------------------------------

function renderWho() {
  const p = state.profile;
  const ev = state.event;
  const where = ev ? `${ev.name}${ev.city ? `, ${ev.city}` : ""}` : t("event.number", { id: state.me.event_id });
  put(byId("whoami"), t("who.participant", { name: p.name, organisation: p.organisation.name, event: where }));
}

// --- suggestions ------------------------------------------------------------------------

async function loadSuggestions(append = false) {
  const offset = append ? state.suggestions.length : 0;
  try {
    const page = await call(myPath(`/suggestions?limit=${PAGE}&offset=${offset}`));
    state.suggestions = append ? state.suggestions.concat(page.items) : page.items;
    state.suggestionsTotal = page.total;
    for (const s of page.items) state.people.set(s.participant.id, s.participant);
  } catch (err) {
    showProblem(byId("suggestions-message"), err);
  }
  renderSuggestions();
}

function pairStatus(partnerId) {
  const live = (r) => r.status === "pending" || r.status === "accepted";
  const out = state.outgoing.find((r) => r.to_participant_id === partnerId && live(r));
  if (out) return out.status === "accepted" ? t("pair.accepted") : t("pair.sent");
  const inc = state.incoming.find((r) => r.from_participant_id === partnerId && live(r));
  if (inc) return inc.status === "accepted" ? t("pair.accepted") : t("pair.incoming");
  return null;
}

function chips(values, label) {
  return values.length ? h("ul", { class: "chips", "aria-label": label }, values.map((v) => h("li", {}, v))) : null;
}

function reasonText(r, partner) {
  const mine = state.profile.organisation;
  const theirs = partner.organisation;
  switch (r.type) {
    case "request_offer":
    case "offer_request":
      return t(`reason.${r.type}`, { mine: r.mine || "", theirs: r.theirs || "" });
    case "kind_complementarity":
      return t("reason.kind", { mine: kindLabel(mine.kind), theirs: kindLabel(theirs.kind) });
    case "cross_border":
      return t("reason.cross_border", { mine: countryName(mine.country), theirs: countryName(theirs.country) });
    case "shared_terms":
    case "shared_sectors":
    case "profile_similarity":
      return t(`reason.${r.type}`);
    default:
      return r.detail;
  }
}

function reasonItem(r, partner) {
  const sectors = r.sectors.map((slug) => state.sectors.get(slug) || slug);
  return h("li", { class: `reason reason-${r.type}`, dataset: { reason: r.type } },
    h("span", {}, reasonText(r, partner)),
    chips(r.terms, t("reason.terms")),
    chips(sectors, t("reason.sectors")));
}

function opportunityList(title, items) {
  if (!items.length) return null;
  return [h("h5", {}, title),
    h("ul", {}, items.map((o) => h("li", {}, h("strong", {}, o.title), ` (${typeLabel(o.type)})`,
      o.description ? h("p", { class: "muted" }, o.description) : null)))];
}

function noteArea(partnerId) {
  const area = h("div", { class: "message", role: "status", "aria-live": "polite", tabindex: "-1", hidden: true });
  const note = state.notes.get(partnerId);
  if (note && note.ok) showOk(area, note.text);
  else if (note) showProblem(area, note.err);
  return area;
}

function suggestionCard(sug) {
  const p = sug.participant;
  const headingId = `suggestion-${p.id}`;
  const messageId = `message-${p.id}`;
  const status = pairStatus(p.id);
  const textarea = h("textarea", { id: messageId, rows: 2, maxlength: 2000 });
  const card = h("article", { class: "card suggestion", "aria-labelledby": headingId, dataset: { partnerId: p.id } });
  const request = h("button", { type: "button", class: "primary", "aria-describedby": headingId }, t("suggestion.request"));
  const hide = h("button", { type: "button", class: "secondary", "aria-describedby": headingId }, t("suggestion.hide"));
  request.addEventListener("click", () => requestMeeting(sug, card, request, textarea));
  hide.addEventListener("click", () => hideSuggestion(sug, card, hide));
  return put(card,
    h("div", { class: "card-head" },
      h("h3", { id: headingId }, p.name),
      h("p", { class: "score" }, t("suggestion.score", { score: percent(sug.score) }), " ",
        h("meter", { min: 0, max: 1, value: sug.score, "aria-label": t("suggestion.scoreLabel") }))),
    h("p", { class: "muted" }, orgLine(p)),
    h("h4", {}, t("suggestion.why")),
    h("ul", { class: "reasons" }, sug.reasons.map((r) => reasonItem(r, p))),
    h("details", { class: "their-needs" },
      h("summary", {}, t("suggestion.details")),
      opportunityList(t("suggestion.offers"), p.offers),
      opportunityList(t("suggestion.requests"), p.requests)),
    status ? h("p", { class: "pair-status" }, status)
      : h("div", { class: "field" }, h("label", { for: messageId }, t("suggestion.message")), textarea),
    h("div", { class: "actions" }, status ? null : request, hide),
    noteArea(p.id));
}

function renderSuggestions() {
  const list = byId("suggestion-list");
  put(list, state.suggestions.length ? state.suggestions.map(suggestionCard)
    : h("p", { class: "muted" }, t("suggestions.none")));
  show(byId("more-suggestions"), state.suggestions.length < state.suggestionsTotal);
}

function refreshCard(card, sug) {
  const fresh = suggestionCard(sug);
  card.replaceWith(fresh);
  fresh.querySelector(".message:not([hidden])")?.focus();
}

async function requestMeeting(sug, card, button, textarea) {
  const partner = sug.participant;
  button.disabled = true;
  try {
    const created = await call(eventPath("/meeting-requests"), {
      method: "POST", json: { to_participant_id: partner.id, message: textarea.value.trim() },
    });
    state.outgoing.unshift(created);
    state.notes.set(partner.id, { ok: true, text: t("suggestion.requested", { name: partner.name }) });
    renderRequests();
  } catch (err) {
    state.notes.set(partner.id, { ok: false, err });
  }
  refreshCard(card, sug);
}

async function hideSuggestion(sug, card, button) {
  const partner = sug.participant;
  button.disabled = true;
  try {
    await call(myPath(`/suggestions/${partner.id}/hide`), { method: "POST" });
  } catch (err) {
    state.notes.set(partner.id, { ok: false, err });
    refreshCard(card, sug);
    return;
  }
  state.suggestions = state.suggestions.filter((s) => s.participant.id !== partner.id);
  state.suggestionsTotal -= 1;
  renderSuggestions();
  const area = byId("suggestions-message");
  showOk(area, t("suggestion.hidden", { name: partner.name }));
  area.focus(); // the card and its button are gone: keep the keyboard user where they were
}

// --- meeting requests -------------------------------------------------------------------

async function loadRequests() {
  try {
    const [incoming, outgoing] = await Promise.all([
      call(eventPath("/meeting-requests?direction=incoming&limit=200")),
      call(eventPath("/meeting-requests?direction=outgoing&limit=200")),
    ]);
    state.incoming = incoming.items;
    state.outgoing = outgoing.items;
    await learnPeople([
      ...state.incoming.map((r) => r.from_participant_id), ...state.outgoing.map((r) => r.to_participant_id),
    ]);
  } catch (err) {
    showProblem(byId("requests-message"), err);
  }
  renderRequests();
}

async function transition(r, action, button) {
  const area = byId("requests-message");
  clearMessage(area);
  button.disabled = true;
  const other = r.from_participant_id === state.me.participant_id ? r.to_participant_id : r.from_participant_id;
  try {
    await call(eventPath(`/meeting-requests/${r.id}/${action}`), { method: "POST" });
  } catch (err) {
    showProblem(area, err);
    button.disabled = false;
    return;
  }
  showOk(area, t(`requests.done.${action}`, { name: personName(other) }));
  await Promise.all([loadRequests(), loadAgenda()]);
  area.focus();
}

function requestItem(r, direction) {
  const other = direction === "incoming" ? r.from_participant_id : r.to_participant_id;
  const headingId = `request-${r.id}`;
  const button = (action, cls) => {
    const b = h("button", { type: "button", class: cls, "aria-describedby": headingId }, t(`requests.${action}`));
    b.addEventListener("click", () => transition(r, action, b));
    return b;
  };
  const pending = r.status === "pending";
  const actions = direction === "incoming" ? [button("accept", "primary"), button("decline", "secondary")]
    : [button("cancel", "secondary")];
  return h("li", { class: "card request", dataset: { requestId: r.id, status: r.status } },
    h("p", {}, ...personBlock(other, headingId)),
    r.message ? h("blockquote", {}, r.message) : null,
    h("p", { class: "muted" },
      h("span", { class: `badge status-${r.status}` }, t(`status.${r.status}`)), " ",
      t(direction === "incoming" ? "requests.receivedAt" : "requests.sentAt",
        { when: dateTime(r.created_at, state.timezone) })),
    pending ? h("div", { class: "actions" }, actions) : null);
}

function renderRequests() {
  const render = (items, direction, emptyKey) => (items.length
    ? items.map((r) => requestItem(r, direction)) : h("li", { class: "muted" }, t(emptyKey)));
  put(byId("incoming-list"), render(state.incoming, "incoming", "requests.noneIncoming"));
  put(byId("outgoing-list"), render(state.outgoing, "outgoing", "requests.noneOutgoing"));
}

// --- agenda -----------------------------------------------------------------------------

async function loadAgenda() {
  try {
    state.agenda = await call(myPath("/agenda"));
    state.timezone = state.agenda.timezone;
  } catch (err) {
    showProblem(byId("agenda-message"), err);
  }
  renderAgenda();
}

function place(table) {
  if (!table) return null;
  if (table.online && table.link) {
    return h("a", { href: table.link, target: "_blank", rel: "noopener noreferrer" }, t("agenda.online", { name: table.name }));
  }
  return t("agenda.table", { name: table.name });
}

function agendaItem(item) {
  const when = item.starts_at ? timeRange(item.starts_at, item.ends_at, state.timezone) : t("agenda.unscheduled");
  const p = item.partner;
  return h("li", { class: "card agenda-item", dataset: { meetingId: item.meeting_id, status: item.status } },
    h("p", { class: "when" }, h("time", { datetime: item.starts_at || "" }, when)),
    h("p", {}, h("strong", {}, p.name), h("span", { class: "muted" }, ` — ${orgLine(p)}`)),
    item.starts_at ? h("p", {}, place(item.table)) : null,
    item.unplaced_reason ? h("p", { class: "muted" }, reasonCode(item.unplaced_reason)) : null);
}

function renderAgenda() {
  const agenda = state.agenda;
  if (!agenda) return;
  put(byId("agenda-note"),
    t(agenda.published ? "agenda.published" : "agenda.draft"), " ", t("agenda.timezone", { tz: agenda.timezone }));
  put(byId("agenda-list"), agenda.items.length ? agenda.items.map(agendaItem)
    : h("li", { class: "muted" }, t("agenda.empty")));
  byId("ics-url").value = `${location.origin}${API}${myPath("/agenda.ics")}?token=${encodeURIComponent(state.token)}`;
}

// --- wiring -----------------------------------------------------------------------------

function renderAll() {
  if (!state.profile) return;
  renderWho();
  renderSuggestions();
  renderRequests();
  renderAgenda();
}

async function loadSectors() {
  try {
    for (const s of await api("/sectors")) state.sectors.set(s.slug, s.name);
  } catch {
    // slugs are readable enough without the names
  }
}

function wire() {
  byId("more-suggestions").addEventListener("click", () => loadSuggestions(true));
  byId("agenda-refresh").addEventListener("click", () => Promise.all([loadRequests(), loadAgenda()]));
  byId("ics-download").addEventListener("click", async () => {
    try {
      await download(myPath("/agenda.ics"), state.token, "agenda.ics");
    } catch (err) {
      showProblem(byId("agenda-message"), err);
    }
  });
  byId("ics-copy").addEventListener("click", async () => {
    const input = byId("ics-url");
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
      showOk(byId("agenda-message"), t("copied"));
    } catch {
      // the text stays selected: copy by hand
    }
  });
  byId("sign-out").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    location.replace(location.pathname);
  });
}

function failStart(err) {
  showProblem(byId("page-message"), err);
  if (err instanceof ProblemError && err.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    show(byId("no-token"));
  }
}

async function start() {
  initLanguage(byId("lang"), renderAll);
  state.token = takeToken();
  if (!state.token) {
    show(byId("no-token"));
    return;
  }
  try {
    state.me = await call("/auth/me");
    if (state.me.role !== "participant") {
      showOk(byId("page-message"), t("participant.organiserToken"), " ",
        h("a", { href: "organiser.html" }, t("nav.organiser")));
      return;
    }
    const [profile, event] = await Promise.all([call(myPath()), call(eventPath()).catch(() => null), loadSectors()]);
    state.profile = profile;
    state.event = event;
    state.timezone = event ? event.timezone : "UTC";
  } catch (err) {
    failStart(err);
    return;
  }
  show(byId("participant"));
  wire();
  renderWho();
  await Promise.all([loadRequests(), loadAgenda()]); // requests first: suggestion cards show the pair's status
  await loadSuggestions();
  document.body.dataset.ready = "true";
}

start();
