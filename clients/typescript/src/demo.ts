/**
 * A participant's afternoon, through the typed client generated from openapi.json:
 * the organiser logs in and issues a participant's personal link; the participant lists
 * their suggestions, asks their best match for a meeting and reads their agenda.
 *
 *   MATCHMAKER_URL=http://127.0.0.1:8000 node dist/demo.js
 *
 * Every request and response is typed by src/api.d.ts; `tsc --strict` fails when the
 * script and the contract disagree.
 */
import createClient from "openapi-fetch";

import type { components, paths } from "./api.js";

type Problem = components["schemas"]["Problem"];
type Suggestion = components["schemas"]["SuggestionRead"];

const baseUrl = process.env.MATCHMAKER_URL ?? "http://127.0.0.1:8000";
const organiserEmail = process.env.MATCHMAKER_ORGANISER ?? "organiser@demo.matchmaker.eu";
const organiserPassword = process.env.MATCHMAKER_PASSWORD ?? "demo-organiser-2025";

class ApiError extends Error {
  constructor(step: string, status: number, problem: Problem | undefined) {
    super(`${step}: HTTP ${status} ${problem?.title ?? ""} ${problem?.detail ?? ""}`.trim());
  }
}

function must<T>(step: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    throw new ApiError(step, result.response.status, result.error as Problem | undefined);
  }
  return result.data;
}

function describe(suggestion: Suggestion): string {
  const why = suggestion.reasons
    .map((reason) => (reason.mine && reason.theirs ? `"${reason.mine}" ↔ "${reason.theirs}"` : reason.type))
    .slice(0, 2)
    .join("; ");
  return `#${suggestion.rank} ${suggestion.participant.name} (score ${suggestion.score.toFixed(2)}): ${why}`;
}

async function main(): Promise<void> {
  const api = createClient<paths>({ baseUrl });

  // 1. The organiser logs in (OAuth2 password flow, a form body).
  const login = must(
    "log in",
    await api.POST("/api/v1/auth/token", {
      body: { username: organiserEmail, password: organiserPassword, scope: "" },
      bodySerializer: (body) => new URLSearchParams(body as Record<string, string>),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }),
  );
  const asOrganiser = { Authorization: `Bearer ${login.access_token}` };

  // 2. The organiser's first event and one of its participants.
  const events = must("list events", await api.GET("/api/v1/events", { headers: asOrganiser }));
  const event = events.items[0];
  if (event === undefined) throw new Error("no event: load the demo first (matchmaker demo)");
  const people = must(
    "list participants",
    await api.GET("/api/v1/events/{event_id}/participants", {
      params: { path: { event_id: event.id }, query: { limit: 1 } },
      headers: asOrganiser,
    }),
  );
  const me = people.items[0];
  if (me === undefined) throw new Error(`event ${event.id} has no participants`);

  // 3. The participant's personal link (shown once; its token is what the link carries).
  const access = must(
    "issue the personal link",
    await api.POST("/api/v1/events/{event_id}/participants/{participant_id}/access-token", {
      params: { path: { event_id: event.id, participant_id: me.id } },
      headers: asOrganiser,
    }),
  );
  const asMe = { Authorization: `Bearer ${access.token}` };

  // 4. Suggestions, with their reasons.
  const suggestions = must(
    "list suggestions",
    await api.GET("/api/v1/events/{event_id}/participants/{participant_id}/suggestions", {
      params: { path: { event_id: event.id, participant_id: me.id }, query: { limit: 5 } },
      headers: asMe,
    }),
  );
  console.log(`${me.name}: ${suggestions.total} suggestions`);
  for (const suggestion of suggestions.items) console.log(`  ${describe(suggestion)}`);
  const best = suggestions.items[0];
  if (best === undefined) throw new Error("no suggestions: run matching first");

  // 5. A meeting request to the best match; 409 means one is already open (a re-run).
  const sent = await api.POST("/api/v1/events/{event_id}/meeting-requests", {
    params: { path: { event_id: event.id } },
    body: { to_participant_id: best.participant.id, message: "Shall we meet at the matchmaking session?" },
    headers: asMe,
  });
  if (sent.data !== undefined) {
    console.log(`request ${sent.data.id} to ${best.participant.name}: ${sent.data.status}`);
  } else if (sent.response.status === 409) {
    console.log(`request to ${best.participant.name}: ${(sent.error as Problem | undefined)?.detail ?? "already open"}`);
  } else {
    throw new ApiError("send a meeting request", sent.response.status, sent.error as Problem | undefined);
  }

  // 6. The agenda.
  const agenda = must(
    "read the agenda",
    await api.GET("/api/v1/events/{event_id}/participants/{participant_id}/agenda", {
      params: { path: { event_id: event.id, participant_id: me.id } },
      headers: asMe,
    }),
  );
  console.log(`agenda (${agenda.timezone}, ${agenda.published ? "published" : "not published"}): ${agenda.items.length} item(s)`);
  for (const item of agenda.items) {
    console.log(`  ${item.starts_at ?? "unscheduled"} ${item.partner.name} [${item.status}]`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
