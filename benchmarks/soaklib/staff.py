"""A simulated community prosecutor working the hotspot list through the staff pages."""

from __future__ import annotations

import random
import re
import uuid

import requests

from benchmarks.soaklib.stats import Recorder
from benchmarks.soaklib.target import Target
from benchmarks.soaklib.web import new_session, page_forms, send

FIRST_PAGE = 25  # the rows a prosecutor looks at before picking one
HOTSPOT_RE = re.compile(r'href="/staff/hotspots/(\d+)"')
PROBLEMS_RE = re.compile(r'class="error-summary".*?</div>', re.S)
TAG_RE = re.compile(r"<[^>]+>")
VIEW = "GET /staff/hotspots/<id>"
# What the prosecutor does on a hotspot that has a lead (one without gets a lead first).
WITH_LEAD = (("actions", 6), ("assign", 2), ("resolve", 2))
NOTES = (
    "Spoke with the block captain; activity continues after 10 pm.",
    "Landlord contacted by phone and letter.",
    "Patrol saw no activity during the visit.",
    "Neighbours report fewer cars since last week.",
)


class StaffClient:
    """One staff browser (the target's prosecutor, or another account) working hotspots."""

    def __init__(
        self,
        target: Target,
        recorder: Recorder,
        seed: int,
        email: str | None = None,
        password: str | None = None,
    ) -> None:
        self.target = target
        self.recorder = recorder
        self.seed = seed
        self.rng = random.Random(seed)
        self.session = new_session(target, self.rng)
        self.email = email or target.staff_email
        self.password = password or target.staff_password
        self.signed_in = False
        self.last_problem: str | None = None  # why the app last refused a change (a 400 page)
        self.page: dict[str, dict] = {}  # the forms of the hotspot page last shown after a change
        self._changes = 0

    def _url(self, path: str) -> str:
        return self.target.base_url.rstrip("/") + path

    def sign_in(self) -> bool:
        """Sign in through /login; True when the app let us in."""
        self.signed_in = False
        page = send(self.session, self.recorder, "GET /login", "GET", self._url("/login"), (200,))
        forms = page_forms(page.text) if page is not None and page.status_code == 200 else []
        form = next((f for f in forms if "password" in f["fields"]), None)
        if form is None:
            return False
        data = {**form["fields"], "email": self.email, "password": self.password}
        url = self._url("/login")
        sent = send(self.session, self.recorder, "POST /login", "POST", url, (302,), data=data)
        location = sent.headers.get("Location", "") if sent is not None else ""
        self.signed_in = sent is not None and sent.status_code == 302 and "/login" not in location
        return self.signed_in

    def _get(self, path: str, label: str) -> requests.Response | None:
        """A staff page; signs in again once when the app sent us to /login."""
        for _attempt in range(2):
            page = send(self.session, self.recorder, label, "GET", self._url(path), (200,))
            if page is None or not page.is_redirect or "/login" not in page.headers["Location"]:
                return page if page is not None and page.status_code == 200 else None
            if not self.sign_in():
                return None
        return None

    def _post(self, path: str, label: str, data: dict[str, str]) -> bool:
        """Send one workflow form; True when the app accepted it (a redirect to the hotspot)."""
        sent = send(self.session, self.recorder, label, "POST", self._url(path), (302,), data=data)
        if sent is None:
            return False
        location = sent.headers.get("Location", "")
        if sent.status_code == 302 and "/login" in location:
            self.signed_in = False  # the next round signs in again; this change is dropped
            return False
        if sent.status_code == 400:
            found = PROBLEMS_RE.search(sent.text)
            self.last_problem = " ".join(TAG_RE.sub(" ", found.group(0)).split()) if found else None
        if sent.status_code != 302:
            return False
        # Follow the redirect as a browser does: it shows (and so clears) the flash message,
        # which would otherwise pile up in the session cookie.
        self.page = self._forms(int(path.split("/")[3])) or {}
        return True

    def _token(self) -> str:
        self._changes += 1
        return f"soak-staff-{self.seed}-{self._changes}-{uuid.uuid4().hex[:8]}"

    def _forms(self, hotspot_id: int) -> dict[str, dict] | None:
        """The hotspot page's workflow forms by their last path part (assign, actions...)."""
        page = self._get(f"/staff/hotspots/{hotspot_id}", VIEW)
        if page is None:
            return None
        prefix = f"/staff/hotspots/{hotspot_id}/"
        return {
            f["action"].rsplit("/", 1)[-1]: f
            for f in page_forms(page.text)
            if f["action"].startswith(prefix)
        }

    def work_once(self) -> list[dict]:
        """One round: list, pick a hotspot, open it, make one change; the changes accepted."""
        if not self.signed_in and not self.sign_in():
            return []
        listing = self._get("/staff/", "GET /staff/")
        ids = list(dict.fromkeys(HOTSPOT_RE.findall(listing.text if listing else "")))
        if not ids:
            return []
        hotspot_id = int(self.rng.choice(ids[:FIRST_PAGE]))
        forms = self._forms(hotspot_id)
        if not forms:
            return []
        if "assign" in forms and "handoff" not in forms:  # no lead yet: make one the lead
            done = self._assign(hotspot_id, forms, "lead")
            if done and self.rng.random() < 0.3 and "assign" in self.page:
                done += self._assign(hotspot_id, self.page, "partner")
            return done
        choices = [(name, weight) for name, weight in WITH_LEAD if name in forms]
        if not choices:
            return []
        names, weights = zip(*choices, strict=True)
        chosen = self.rng.choices(names, weights)[0]
        if chosen == "actions":
            return self._action(hotspot_id, forms["actions"])
        if chosen == "resolve":
            return self._resolve(hotspot_id, forms["resolve"])
        return self._assign(hotspot_id, forms, "partner")

    def _assign(self, hotspot_id: int, forms: dict[str, dict], role: str) -> list[dict]:
        form = forms["assign"]
        # The action form lists the agencies already on the hotspot: a partner is someone else.
        owners = set(forms.get("actions", {}).get("options", {}).get("action-agency_id", []))
        agencies = [a for a in form["options"]["assign-agency_id"] if a not in owners]
        if not agencies:
            return []
        agency_id, token = self.rng.choice(agencies), self._token()
        data = {
            **form["fields"],
            "assign-agency_id": agency_id,
            "assign-role": role,
            "assign-reason": f"Soak triage, {role} agency. {token}",
        }
        path = f"/staff/hotspots/{hotspot_id}/assign"
        if not self._post(path, "POST /staff/hotspots/<id>/assign", data):
            return []
        return [
            {
                "kind": "assign",
                "hotspot_id": hotspot_id,
                "agency_id": int(agency_id),
                "role": role,
                "note": token,
            }
        ]

    def _action(self, hotspot_id: int, form: dict) -> list[dict]:
        options = form["options"]
        agency_id = self.rng.choice(options["action-agency_id"])
        kind = self.rng.choice(options["action-kind"])
        outcome = self.rng.choice([o for o in options["action-outcome"] if o])
        token = self._token()
        data = {
            **form["fields"],
            "action-agency_id": agency_id,
            "action-kind": kind,
            "action-outcome": outcome,
            "action-notes": f"{self.rng.choice(NOTES)} {token}",
        }
        if self.rng.random() < 0.3:
            data["action-public_note"] = "An officer visited the block."
        path = f"/staff/hotspots/{hotspot_id}/actions"
        if not self._post(path, "POST /staff/hotspots/<id>/actions", data):
            return []
        return [
            {
                "kind": "action",
                "hotspot_id": hotspot_id,
                "agency_id": int(agency_id),
                "action": kind,
                "outcome": outcome,
                "note": token,
            }
        ]

    def _resolve(self, hotspot_id: int, form: dict) -> list[dict]:
        outcome = self.rng.choice([o for o in form["options"]["resolve-outcome"] if o])
        token = self._token()
        data = {
            **form["fields"],
            "resolve-outcome": outcome,
            "resolve-reason": f"Resolved after follow-up visits. {token}",
        }
        path = f"/staff/hotspots/{hotspot_id}/resolve"
        if not self._post(path, "POST /staff/hotspots/<id>/resolve", data):
            return []
        return [{"kind": "resolve", "hotspot_id": hotspot_id, "outcome": outcome, "note": token}]
