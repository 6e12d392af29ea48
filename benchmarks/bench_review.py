"""The reviewers' workflow at scale: the queue page and re-screening over many stored engagements.

    python benchmarks/bench_review.py [--engagements 10000] [--requests 200] [--db URL] [--skip-rescreen]

Builds a database (a fresh SQLite file unless ``--db`` names an empty one) holding N engagements
from the example register, submitted over the last 60 days by two organisations, most open, some
decided, each with one screening made under an older rule pack. Then prints:

- the queue page (``GET /review`` as a signed-in reviewer, through the ASGI app in-process) for a
  rotation of filters and sorts: requests, p50, p95 and p99 in milliseconds;
- ``riskscreen rescreen``'s work (:func:`riskscreen.review.rescreen_run.rescreen`, with the
  what-if steps memoised per distinct engagement as the command and the admin job do) over every
  engagement, in a fresh process: wall time, engagements per second, resident memory once the
  engine is loaded and the peak during the run (Linux's VmHWM, reset as the run starts). Compare 2,000
  with 10,000 engagements: it streams in batches, so the peak stays flat.

``--distinct`` gives every engagement its own what-if steps (each partner's name made unique
and a value nudged), the worst case for the memo.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from riskscreen import Engine
from riskscreen.registers import read_register

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"


def build(url: str, engine: Engine, count: int, distinct: bool = False) -> None:
    from sqlalchemy import insert

    from riskscreen.review.models import ReviewCase, WorkflowStep
    from riskscreen.store import Store
    from riskscreen.store.accounts import add_user
    from riskscreen.store.engagements import input_hash, jsonable
    from riskscreen.store.models import EngagementRecord, Screening

    store = Store(url)
    store.upgrade()
    with store.session() as session:
        officers = [add_user(session, email=f"officer@org{n}.example", name=f"Officer {n}", role="officer",
                             organisation=f"Organisation {n}", password=PASSWORD) for n in (1, 2)]
        add_user(session, email="reviewer@ddu.example", name="Reviewer", role="reviewer", organisation="DDU",
                 password=PASSWORD)
        add_user(session, email="admin@ddu.example", name="Admin", role="admin", organisation="DDU",
                 password=PASSWORD)
        ids = [(o.id, o.organisation_id) for o in officers]
    today = date.today()
    examples = [row.data for row in read_register(ROOT / "examples" / "register.yaml") if row.data]
    results = [engine.screen(data, as_of=today) for data in examples]
    old = [r.model_copy(update={"provenance": r.provenance.model_copy(update={
        "rule_pack": r.provenance.rule_pack.model_copy(update={"hash": "0" * 64, "version": "old"})})})
        for r in results]
    now = datetime.now(timezone.utc)
    batch = 1000
    for start in range(0, count, batch):
        engagements, screenings, cases, steps = [], [], [], []
        for n in range(start, min(start + batch, count)):
            k = n % len(examples)
            data = jsonable({**examples[k], "id": f"BENCH-{n:06d}"})
            if distinct:  # no two alike: the partner's name and the value differ
                data["partner"] = {**data["partner"], "name": f"{data['partner']['name']} {n}"}
                data["value_gbp"] = int(data.get("value_gbp") or 0) + n
            user_id, org_id = ids[n % 2]
            submitted = now - timedelta(days=n % 60, hours=n % 24)
            status = "decided" if n % 10 == 0 else ("in_review" if n % 3 else "submitted")
            engagements.append({"id": n + 1, "organisation_id": org_id, "reference": data["id"],
                                "title": data.get("title"), "partner_name": data["partner"]["name"],
                                "status": status, "input": data, "tier": old[k].tier, "review_date": None,
                                "created_by_id": user_id, "created_at": submitted, "updated_at": submitted,
                                "submitted_at": submitted})
            result = old[k].model_dump(mode="json")
            result["engagement_id"] = data["id"]
            p = old[k].provenance
            screenings.append({"engagement_id": n + 1, "input_hash": input_hash(data), "input": data,
                               "tier": old[k].tier, "result": result, "rule_pack_name": p.rule_pack.name,
                               "rule_pack_version": p.rule_pack.version, "rule_pack_hash": p.rule_pack.hash,
                               "taxonomies_version": p.taxonomies.version, "taxonomies_hash": p.taxonomies.hash,
                               "watchlists_version": p.watchlists.version, "watchlists_hash": p.watchlists.hash,
                               "tool_version": p.tool_version, "as_of": today, "screened_by_id": user_id,
                               "screened_at": submitted, "finding_count": len(old[k].findings), "notes": None})
            types = sorted({f.risk_type for f in old[k].findings})
            cases.append({"engagement_id": n + 1, "country": old[k].engagement.country,
                          "risk_types": "".join(f",{t}" for t in types) + ("," if types else ""),
                          "flagged": False, "public": False,
                          "decided_at": submitted + timedelta(days=12) if status == "decided" else None})
            steps.append({"engagement_id": n + 1, "action": "submit", "actor_id": user_id, "actor_role": "officer",
                          "from_state": "draft", "to_state": "submitted", "note": None, "at": submitted})
        with store.session() as session:
            session.execute(insert(EngagementRecord), engagements)
            session.execute(insert(Screening), screenings)
            session.execute(insert(ReviewCase), cases)
            session.execute(insert(WorkflowStep), steps)
    store.close()


QUERIES = ["", "?tier=alignment&tier=stop", "?clock=overdue", "?sort=-tier", "?risk_type=security",
           "?country=CN", "?state=any&sort=organisation", "?q=Sheffield", "?assignee=nobody&page=3",
           "?clock=due_soon&sort=-clock"]


def queue(url: str, engine: Engine, requests: int) -> None:
    from fastapi.testclient import TestClient

    from riskscreen.store import Store
    from riskscreen.store.accounts import require_user, start_session
    from riskscreen.web import WebSettings, create_app
    from riskscreen.web.security import SESSION_COOKIE

    app = create_app(WebSettings(database_url=url, run_jobs=False), engine=engine)
    store = Store(url)
    with store.session() as session:
        secret = start_session(session, require_user(session, "reviewer@ddu.example"))
    store.close()
    client = TestClient(app)
    client.cookies.set(SESSION_COOKIE, secret)
    for query in QUERIES:  # warm up
        assert client.get("/review" + query).status_code == 200
    times = []
    for n in range(requests):
        start = time.perf_counter()
        response = client.get("/review" + QUERIES[n % len(QUERIES)])
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(len(times) * q))]  # noqa: E731
    print(f"queue page: {requests} requests over {len(QUERIES)} filter/sort mixes; "
          f"p50 {statistics.median(times):.0f} ms, p95 {pick(0.95):.0f} ms, p99 {pick(0.99):.0f} ms")


def _status_mb(field: str) -> float:
    """A figure from /proc/self/status (Linux) in MB: VmRSS now, VmHWM the peak since the last reset."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # no /proc: the process's peak


def _rescreen_child(url: str, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from riskscreen.review.rescreen_run import rescreen as run
    from riskscreen.screening.whatif import WhatIfMemo
    from riskscreen.store import Store

    with Engine.load() as engine:
        store = Store(url)
        today = date.today()
        memo = WhatIfMemo(engine)
        before = _status_mb("VmRSS")
        if Path("/proc/self/clear_refs").exists():
            Path("/proc/self/clear_refs").write_text("5")  # reset the peak: what follows is the run's own
        start = time.perf_counter()
        summary = run(store, memo.screen, engine.provenance(today), "admin@ddu.example", as_of=today)
        took = time.perf_counter() - start
        store.close()
    out.put((summary.as_dict(), took, before, _status_mb("VmHWM"), memo.hits, memo.misses))


def rescreen(url: str) -> None:
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    child = context.Process(target=_rescreen_child, args=(url, out))
    child.start()
    summary, took, before, peak, hits, misses = out.get()
    child.join()
    print(f"rescreen: {summary['rescreened']} of {summary['checked']} engagements re-screened in {took:.1f} s "
          f"({summary['rescreened'] / took:.0f}/s); what-if worked out {misses} time(s), shared {hits}; "
          f"resident memory {before:.0f} MB with the engine loaded, peak {peak:.0f} MB during the run; "
          f"{json.dumps(summary)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engagements", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--db", help="an empty database URL (default: a new SQLite file)")
    parser.add_argument("--skip-rescreen", action="store_true")
    parser.add_argument("--distinct", action="store_true", help="no two engagements alike (what-if never shared)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, Engine.load() as engine:
        url = args.db or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        start = time.perf_counter()
        build(url, engine, args.engagements, distinct=args.distinct)
        print(f"built {args.engagements} engagements in {time.perf_counter() - start:.1f} s ({url.split(':')[0]})")
        queue(url, engine, args.requests)
        if not args.skip_rescreen:
            rescreen(url)


if __name__ == "__main__":
    main()
