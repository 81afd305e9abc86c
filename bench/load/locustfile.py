"""The load mix of a matchmaking afternoon (see bench/README-load.md for the weights and why).

Read by locust; ``bench.load`` passes the seeded users in ``MATCHMAKER_LOAD_USERS`` (a JSON file) and the
number of locust processes in ``MATCHMAKER_LOAD_PROCESSES``. Every simulated user is one participant, never
shared with another user (also across ``--processes``), so no two users answer the same request.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from typing import Any

from locust import HttpUser, between, constant_throughput, events, task
from locust.contrib.fasthttp import FastHttpUser

_DATA: dict[str, Any] = json.loads(open(os.environ["MATCHMAKER_LOAD_USERS"], encoding="utf-8").read())
_PROCESSES = int(os.environ.get("MATCHMAKER_LOAD_PROCESSES", "1"))
_RATE = float(os.environ.get("MATCHMAKER_LOAD_USER_RPS", "2"))
_local = itertools.count()
_worker_index = 0


@events.init.add_listener
def _remember_worker(environment: Any, **_: Any) -> None:
    global _worker_index
    _worker_index = int(getattr(environment.runner, "worker_index", 0) or 0)


def _next_participant() -> dict[str, Any]:
    slot = _worker_index + _PROCESSES * next(_local)
    users: list[dict[str, Any]] = _DATA["participants"]
    if slot >= len(users):
        raise RuntimeError(f"more locust users than seeded participants ({len(users)}): raise --load-users")
    return users[slot]


class Participant(FastHttpUser):
    """A participant with the app open: mostly reads, now and then a request or an answer."""

    weight = 100
    wait_time = constant_throughput(_RATE)

    def on_start(self) -> None:
        me = _next_participant()
        self.me: int = me["id"]
        self.base = f"/api/v1/events/{_DATA['event_id']}"
        self.auth = {"Authorization": f"Bearer {me['token']}"}
        self.ics_token = me["token"]
        page = _json(
            self.client.get(
                f"{self.base}/participants/{self.me}/suggestions?limit=30", headers=self.auth, name="suggestions"
            )
        )
        self.partners = [s["participant"]["id"] for s in page["items"]]
        agenda = _json(self.client.get(f"{self.base}/participants/{self.me}/agenda", headers=self.auth, name="agenda"))
        busy = {item["partner"]["id"] for item in agenda["items"]}
        # nobody who asked us, nobody we asked before (an earlier --reuse run): one open request per pair
        for direction, key in (("incoming", "from_participant_id"), ("outgoing", "to_participant_id")):
            asked = _json(
                self.client.get(
                    f"{self.base}/meeting-requests?participant_id={self.me}&direction={direction}&limit=100",
                    headers=self.auth,
                    name=f"{direction} requests",
                )
            )
            busy |= {r[key] for r in asked["items"]}
            if not asked["ok"] or asked.get("total", 0) > len(asked["items"]):
                agenda["ok"] = False
        # ask only partners with a higher id: two load users never ask each other at once (one open request
        # per pair); nobody we already meet; senders of our inbox come from outside the load pool
        self.to_ask = [p for p in self.partners if p > self.me and p not in busy]
        if not agenda["ok"]:  # a read failed: we cannot tell whom we already meet or asked, so ask nobody
            self.to_ask = []
        random.shuffle(self.to_ask)
        self.outgoing: list[int] = []

    @task(40)
    def suggestions(self) -> None:
        # as a browser's HTTP cache does with an ETag and "no-cache": revalidate the copy it holds
        tag = getattr(self, "suggestions_tag", None)
        r = self.client.get(
            f"{self.base}/participants/{self.me}/suggestions?limit=20",
            headers={**self.auth, "If-None-Match": tag} if tag else self.auth,
            name="suggestions",
        )
        if r.status_code == 200:
            self.suggestions_tag = r.headers.get("ETag")

    @task(15)
    def agenda(self) -> None:
        tag = getattr(self, "agenda_tag", None)  # revalidated like the suggestions
        r = self.client.get(
            f"{self.base}/participants/{self.me}/agenda",
            headers={**self.auth, "If-None-Match": tag} if tag else self.auth,
            name="agenda",
        )
        if r.status_code == 200:
            self.agenda_tag = r.headers.get("ETag")

    @task(5)
    def agenda_ics(self) -> None:
        # calendar apps poll the feed URL with the token in the query (they cannot send headers)
        self.client.get(f"{self.base}/participants/{self.me}/agenda.ics?token={self.ics_token}", name="agenda.ics")

    @task(20)
    def partner_profile(self) -> None:
        if self.partners:
            partner = random.choice(self.partners)
            self.client.get(f"{self.base}/participants/{partner}", headers=self.auth, name="partner profile")

    @task(12)
    def inbox_and_answer(self) -> None:
        page = _json(
            self.client.get(
                f"{self.base}/meeting-requests?participant_id={self.me}&direction=incoming&status=pending&limit=5",
                headers=self.auth,
                name="incoming requests",
            )
        )
        if page["items"] and random.random() < 0.5:
            action = "accept" if random.random() < 0.7 else "decline"
            request_id = page["items"][0]["id"]
            self.client.post(
                f"{self.base}/meeting-requests/{request_id}/{action}", headers=self.auth, name=f"request {action}"
            )

    @task(5)
    def send_request(self) -> None:
        if len(self.outgoing) >= 15:  # stay under the event's cap of 20 pending: withdraw the oldest
            oldest = self.outgoing.pop(0)
            self.client.post(f"{self.base}/meeting-requests/{oldest}/cancel", headers=self.auth, name="request cancel")
            return
        if not self.to_ask:
            return self.suggestions()
        partner = self.to_ask.pop()
        r = self.client.post(
            f"{self.base}/meeting-requests",
            headers=self.auth,
            name="request send",
            json={"to_participant_id": partner, "message": "Shall we meet?"},
        )
        if r.status_code == 201:
            self.outgoing.append(r.json()["id"])


def _json(response: Any) -> dict[str, Any]:
    """The JSON page of a 200; a failed read (already counted as an error by locust) is an empty page."""
    if response.status_code != 200 or not response.text:
        return {"items": [], "ok": False}
    return {**response.json(), "ok": True}


class Organiser(HttpUser):
    """One organiser polling the live report every few seconds (2-4 s between polls)."""

    fixed_count = 1
    wait_time = between(2, 4)  # idle less than uvicorn's 5 s keep-alive: no reset of a just-closed connection

    def on_start(self) -> None:
        self.auth = {"Authorization": f"Bearer {_DATA['organiser_token']}"}

    @task
    def report(self) -> None:
        self.client.get(f"/api/v1/events/{_DATA['event_id']}/report", headers=self.auth, name="report")
