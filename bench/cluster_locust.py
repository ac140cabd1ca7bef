"""Locust journeys of bench/cluster.py (run headless by it; not on its own).

Five journeys, each a person of its own: the public routing page, a public registration, a
counsellor's inbox (signed in: the session must be readable by any app server), a
counsellor's referral send (API token), and the partnership's dashboard (read on the replica,
its lag parsed from the page). Every request is written as one JSON line to BENCH_RECORDS
(time, journey, milliseconds, outcome). A request that fails (connection error, 5xx) is
retried by the client, up to 3 times: the retry's outcome is recorded too, so the report can say
that each failed request succeeded when retried. A send or a registration whose answer was lost
is retried with the same data (haproxy replays GETs only): the server's answer (409 « doublon »
for the referral, the same 202 for the registration) says it was already done, and nothing is
created twice.
"""

import json
import os
import re
import time
import uuid

from locust import HttpUser, between, task

RECORDS = open(os.environ["BENCH_RECORDS"], "a", buffering=1)  # noqa: SIM115 - one per run
EVENT_ID = int(os.environ["BENCH_EVENT_ID"])
API_TOKEN = os.environ["BENCH_API_TOKEN"]
SEND_TO = os.environ["BENCH_SEND_TO"]
LAG = re.compile(r"en retard de (\d+) s")


def record(**fields):
    RECORDS.write(json.dumps({"t": time.time(), **fields}) + "\n")


class Journey(HttpUser):
    abstract = True
    wait_time = between(0.2, 0.8)

    def call(self, journey, method, path, *, done=(200,), **kwargs):
        """One request, retried by the client while it fails; returns the last response."""
        response = None
        call = uuid.uuid4().hex  # the attempts of one request share it
        for attempt in range(4):
            started = time.perf_counter()
            try:
                with self.client.request(
                    method, path, name=journey, catch_response=True, timeout=30, **kwargs
                ) as response:
                    status = response.status_code
                    ok = status in done
                    if ok:
                        response.success()
                    else:
                        response.failure(f"HTTP {status}")
            except Exception:  # a failed request (locust reports most as status 0): counted
                status, ok, response = 0, False, None
            ms = (time.perf_counter() - started) * 1000
            record(
                journey=journey, call=call, ms=round(ms, 1), status=status, ok=ok, attempt=attempt
            )
            if ok:
                return response
            if status and status < 500:
                return response  # a refusal, not a fault: not retried
            time.sleep(0.5)
        return response

    def sign_in(self, email):
        page = self.client.get("/connexion/", name="connexion").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        self.client.post(
            "/connexion/",
            data={"csrfmiddlewaretoken": token, "username": email, "password": "demo"},
            headers={"Referer": self.host + "/connexion/"},
            name="connexion",
        )


class RoutingVisitor(Journey):
    weight = 3

    @task
    def routing(self):
        self.call(
            "routing",
            "GET",
            "/trouver-mon-conseiller/resultat/?department=75&status=employed_private",
        )


class Registrant(Journey):
    weight = 2

    @task
    def register(self):
        email = f"bench-{uuid.uuid4().hex}@exemple.fr"
        response = self.call(
            "registration",
            "POST",
            f"/api/v1/events/{EVENT_ID}/registrations",
            json={"first_name": "Banc", "last_name": "Essai", "email": email},
            done=(202,),
        )
        if response is not None and response.status_code == 202:
            record(journey="registration", acked=email)


class CounsellorInbox(Journey):
    weight = 2

    def on_start(self):
        self.sign_in("conseiller@afdas.demo")

    @task
    def inbox(self):
        response = self.call("inbox", "GET", "/orientations/")
        if response is not None and "/connexion/" in response.url:
            record(journey="inbox", signed_out=True)


class CounsellorSender(Journey):
    weight = 2

    @task
    def send(self):
        marker = f"bench-cluster:{uuid.uuid4().hex}"
        body = {
            "person": {
                "first_name": "Banc",
                "last_name": f"Essai {marker[-12:]}",
                "email": f"{marker[-12:]}@exemple.fr",
            },
            "profile": {"department": "75", "status": "employed_private"},
            "to": SEND_TO,
            "need": marker,
            "consent": {"given": True, "method": "in_person"},
        }
        # 409: the same person was already sent (the first answer was lost): done, not twice.
        response = self.call(
            "referral_send",
            "POST",
            "/api/v1/referrals",
            json=body,
            headers={"Authorization": f"Bearer {API_TOKEN}"},
            done=(201, 409),
        )
        if response is not None and response.status_code in (201, 409):
            record(journey="referral_send", acked=marker, status=response.status_code)


class Coordinator(Journey):
    weight = 1

    def on_start(self):
        self.sign_in("coordination@region-idf.demo")

    @task
    def dashboard(self):
        response = self.call("dashboard", "GET", "/indicateurs/")
        if response is not None and response.status_code == 200:
            found = LAG.search(response.text)
            replica = "copie de la base" in response.text
            record(journey="dashboard", lag=int(found.group(1)) if found else 0, replica=replica)
