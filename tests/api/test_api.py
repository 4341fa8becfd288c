"""The HTTP API through httpx's ASGI transport: keys, search, profiles, uploads, errors."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from kolscope.adapters.db.database import Database
from kolscope.api import create_app
from kolscope.app.api_keys import create_api_key, revoke_api_key
from kolscope.jobs.runtime import Runtime
from kolscope.settings import Settings
from tests.conftest import FIXTURES, do_import, fixed_clock


class Api:
    """A synchronous face over the ASGI transport, so tests read plainly."""

    def __init__(self, runtime: Runtime, key: str | None) -> None:
        self.app = create_app(runtime.settings, runtime)
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.request(method, url, headers=self.headers, **kwargs)
        return asyncio.run(go())

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)


@pytest.fixture
def key(db: Database, workspace: str) -> str:
    with db.uow() as uow:
        created = create_api_key(uow, workspace=workspace, name="tests", clock=fixed_clock)
        uow.commit()
    return created.secret


@pytest.fixture
def api(runtime: Runtime, key: str, settings: Settings) -> Api:
    do_import(runtime.db, settings, "influencers", FIXTURES / "influencers.tsv")
    do_import(runtime.db, settings, "instagram", FIXTURES / "instaloader_posts.jsonl")
    return Api(runtime, key)


def test_health_needs_no_key(runtime: Runtime) -> None:
    response = Api(runtime, None).get("/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"X-API-Key": "x"}])
def test_everything_else_needs_a_valid_key(runtime: Runtime, workspace: str,
                                           headers: dict[str, str]) -> None:
    client = Api(runtime, None)
    client.headers = headers
    response = client.get("/api/v1/accounts")
    assert response.status_code == 401
    assert response.json()["error"] == "Unauthorized"


def test_revoked_key_stops_working(api: Api, runtime: Runtime, key: str) -> None:
    assert api.get("/api/v1/workspace").status_code == 200
    with runtime.db.uow() as uow:
        revoke_api_key(uow, workspace="acme", key_id=1, clock=fixed_clock)
        uow.commit()
    assert api.get("/api/v1/workspace").status_code == 401


def test_x_api_key_header_works(api: Api, key: str) -> None:
    api.headers = {"X-API-Key": key}
    body = api.get("/api/v1/workspace").json()
    assert body["slug"] == "acme" and body["counts"]["posts"] == 3


def test_search_filters_sort_and_paginate(api: Api) -> None:
    everyone = api.get("/api/v1/accounts", params={"sort": "followers"}).json()
    assert everyone["total"] == 3
    assert [a["handle"] for a in everyone["items"]] == ["techwithtom", "glowwithmia",
                                                         "makeupbynvs"]
    page = api.get("/api/v1/accounts", params={"sort": "followers", "limit": 1,
                                               "offset": 1}).json()
    assert page["total"] == 3 and [a["handle"] for a in page["items"]] == ["glowwithmia"]
    micro = api.get("/api/v1/accounts", params={"tier": "micro", "niche": "beauty",
                                                "min_engagement_rate": 0.05}).json()
    assert [a["handle"] for a in micro["items"]] == ["glowwithmia"]
    text = api.get("/api/v1/accounts", params={"text": "tom"}).json()
    assert [a["handle"] for a in text["items"]] == ["techwithtom"]
    assert api.get("/api/v1/accounts", params={"language": "zh"}).json()["total"] == 1


def test_a_brief_ranks_by_relevance_and_says_why(api: Api) -> None:
    found = api.get("/api/v1/accounts", params={"text": "serum skincare"}).json()
    assert found["items"][0]["handle"] == "glowwithmia"
    why = {r["signal"]: r for r in found["items"][0]["why"]}
    assert "serum" in why["keyword"]["detail"] and why["keyword"]["contribution"] > 0
    assert found["items"][0]["score"] == pytest.approx(
        sum(r["contribution"] for r in found["items"][0]["why"]), abs=1e-6)
    assert api.get("/api/v1/accounts", params={"active_days": 0}).status_code == 422


def test_lookalikes(api: Api) -> None:
    mia = api.get("/api/v1/accounts", params={"text": "mia"}).json()["items"][0]["id"]
    similar = api.get(f"/api/v1/accounts/{mia}/lookalikes", params={"limit": 5}).json()
    assert mia not in [a["id"] for a in similar["items"]]
    assert similar["total"] == 2 and all(a["why"] for a in similar["items"])
    assert api.get("/api/v1/accounts/999999/lookalikes").status_code == 404


def test_flag_a_creator_virtual(api: Api) -> None:
    mia = api.get("/api/v1/accounts", params={"text": "mia"}).json()["items"][0]["id"]
    response = api.request("PUT", f"/api/v1/accounts/{mia}/virtual", json={"is_virtual": True})
    assert response.status_code == 200
    assert api.request("PUT", "/api/v1/accounts/999999/virtual",
                       json={"is_virtual": True}).status_code == 404
    assert api.request("PUT", f"/api/v1/accounts/{mia}/virtual",
                       json={"is_virtual": "maybe"}).status_code == 422


def test_invalid_filters_are_422(api: Api) -> None:
    response = api.get("/api/v1/accounts", params={"tier": "giant"})
    assert response.status_code == 422
    response = api.get("/api/v1/accounts", params={"min_followers": 10, "max_followers": 5})
    assert response.status_code == 422


def test_profile_with_metrics_and_posts(api: Api) -> None:
    found = api.get("/api/v1/accounts", params={"text": "glowwithmia"}).json()["items"][0]
    profile = api.get(f"/api/v1/accounts/{found['id']}").json()
    assert profile["handle"] == "glowwithmia" and profile["followers"] == 2000
    assert profile["metrics"]["method_version"] == "profile-1"
    assert abs(profile["metrics"]["engagement_rate"] - 0.06975) < 1e-12
    assert [p["platform_post_id"] for p in profile["recent_posts"]] == ["1002", "1001"]
    assert api.get("/api/v1/accounts/99999").status_code == 404


def test_upload_runs_a_job_with_progress_and_rejects(api: Api, runtime: Runtime) -> None:
    bad = b"platform,handle,followers\ninstagram,newface,12\ninstagram,broken,lots\n"
    response = api.request("POST", "/api/v1/imports", data={"kind": "generic"},
                           files={"file": ("accounts.csv", bad, "text/csv")})
    assert response.status_code == 202
    job_id = response.json()["id"]
    runtime.runner.wait(job_id, timeout=60)
    job = api.get(f"/api/v1/imports/{job_id}").json()
    assert job["status"] == "succeeded" and job["bytes_done"] == job["bytes_total"] == len(bad)
    assert job["counts"]["records"] == 1 and job["rejected"] == 1
    assert job["rejects"] == [{"file": "accounts.csv", "line": 3, "field": "followers",
                               "reason": "not a count: 'lots'"}]
    assert job_id in [j["id"] for j in api.get("/api/v1/imports").json()]


def test_a_count_past_64_bits_rejects_its_line_not_the_file(api: Api, runtime: Runtime) -> None:
    rows = b"platform,handle,followers\ninstagram,newface,12\ninstagram,huge," + b"9" * 23 + b"\n"
    response = api.request("POST", "/api/v1/imports", data={"kind": "generic"},
                           files={"file": ("accounts.csv", rows, "text/csv")})
    runtime.runner.wait(response.json()["id"], timeout=60)
    job = api.get(f"/api/v1/imports/{response.json()['id']}").json()
    assert job["status"] == "succeeded" and job["counts"]["records"] == 1
    assert [(r["line"], r["field"]) for r in job["rejects"]] == [(3, "followers")]


def test_a_failed_upload_names_the_uploaded_file_not_the_servers_copy(api: Api,
                                                                      runtime: Runtime) -> None:
    response = api.request("POST", "/api/v1/imports", data={"kind": "generic"},
                           files={"file": ("bad.csv", b"platform,handle\n\xff\xfe,x\n",
                                           "text/csv")})
    runtime.runner.wait(response.json()["id"], timeout=60)
    job = api.get(f"/api/v1/imports/{response.json()['id']}").json()
    assert job["status"] == "failed" and job["error"].startswith("bad.csv: ")
    assert "uploads" not in job["error"] and "SourceError" not in job["error"]


def test_upload_of_unknown_kind_is_400(api: Api) -> None:
    response = api.request("POST", "/api/v1/imports", data={"kind": "myspace"},
                           files={"file": ("x.csv", b"a,b\n", "text/csv")})
    assert response.status_code == 400
    assert response.json()["field"] == "kind"


def test_unknown_job_is_404(api: Api) -> None:
    assert api.get("/api/v1/imports/12345").status_code == 404


def test_openapi_lists_the_routes(api: Api) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    assert {"/api/v1/accounts", "/api/v1/accounts/{account_id}", "/api/v1/imports",
            "/api/v1/imports/{job_id}", "/health"} <= set(paths)


def test_authority_run_and_profile(api: Api) -> None:
    response = api.request("POST", "/api/v1/discovery/authority")
    assert response.status_code == 200 and response.json()["creators_scored"] == 3
    found = api.get("/api/v1/accounts", params={"sort": "authority"}).json()["items"]
    profile = api.get(f"/api/v1/accounts/{found[0]['id']}").json()
    assert profile["authority"]["method_version"] == "authority-1"
    assert api.request("POST", "/api/v1/discovery/authority",
                       params={"engine": "gremlin"}).status_code == 400


def test_authority_updates_the_stored_graph_or_rebuilds_it(api: Api) -> None:
    first = api.request("POST", "/api/v1/discovery/authority").json()
    again = api.request("POST", "/api/v1/discovery/authority").json()
    full = api.request("POST", "/api/v1/discovery/authority", params={"full": True}).json()
    assert (first["graph_build"], again["graph_build"]) == ("full", "incremental")
    assert (full["graph_build"], full["graph_build_reason"]) == ("full", "asked for")
    assert full["interactions"] == first["interactions"] == first["new_interactions"]


def test_classify_and_breakdown(api: Api) -> None:
    summary = api.request("POST", "/api/v1/discovery/classify").json()
    assert summary["accounts"] == 3 and summary["niche_method"] == "niche-1"
    rows = api.get("/api/v1/discovery/breakdown").json()
    assert sum(r["accounts"] for r in rows) == 3
    found = api.get("/api/v1/accounts", params={"kol_type": rows[0]["kol_type"]}).json()
    assert found["total"] >= 1


def test_audience_research(api: Api) -> None:
    report = api.get("/api/v1/discovery/audience",
                     params={"seed": "instagram:glowwithmia", "min_support": 1}).json()
    assert report["audience_size"] == 2
    assert api.get("/api/v1/discovery/audience").status_code == 400


def test_vetting_run_report_override_and_flags(api: Api) -> None:
    account = api.get("/api/v1/accounts", params={"limit": 1, "sort": "followers"}
                      ).json()["items"][0]["id"]
    assert api.get(f"/api/v1/accounts/{account}/vetting").status_code == 404
    run = api.request("POST", "/api/v1/vetting/run", json={"competitors": ["rival"]})
    assert run.status_code == 200 and run.json()["accounts"] >= 1
    report = api.get(f"/api/v1/accounts/{account}/vetting").json()
    assert report["report"]["verdict"] in ("pass", "review", "fail")
    keys = {line["signal"]["key"] for line in report["report"]["lines"]}
    assert {"audience_fake_share", "engagement_rate_z", "brand_safety",
            "negative_sentiment"} <= keys
    bad = api.request("PUT", f"/api/v1/accounts/{account}/vetting/override",
                      json={"verdict": "maybe", "reason": "x"})
    assert bad.status_code == 422
    done = api.request("PUT", f"/api/v1/accounts/{account}/vetting/override",
                       json={"verdict": "fail", "reason": "seen off-brand stories",
                             "author": "dana"})
    assert done.status_code == 200 and done.json()["report"]["override"]["author"] == "dana"
    again = api.request("POST", f"/api/v1/accounts/{account}/vetting").json()
    assert again["report"]["override"]["verdict"] == "fail"
    flags = api.get("/api/v1/vetting/flags", params={"format": "csv"})
    assert flags.status_code == 200 and flags.text.startswith("id,handle,platform,post_id")


def test_keyword_sets_and_text_sentiment(api: Api) -> None:
    made = api.request("PUT", "/api/v1/vetting/keyword-sets/green",
                       json={"kind": "value", "category": "sustainability",
                             "terms": ["recycled", "vegan"]})
    assert made.status_code == 201
    assert api.request("PUT", "/api/v1/vetting/keyword-sets/green",
                       json={"kind": "value", "category": "sustainability",
                             "terms": ["vegan"]}).status_code == 200
    bad = api.request("PUT", "/api/v1/vetting/keyword-sets/x",
                      json={"kind": "safety", "category": "nonsense", "terms": ["a"]})
    assert bad.status_code == 400 and bad.json()["field"] == "category"
    own = api.get("/api/v1/vetting/keyword-sets", params={"builtin": "false"}).json()
    assert [s["name"] for s in own] == ["green"] and own[0]["terms"] == ["vegan"]
    assert api.request("DELETE", "/api/v1/vetting/keyword-sets/green").status_code == 204
    assert api.request("DELETE", "/api/v1/vetting/keyword-sets/green").status_code == 404
    texts = api.request("POST", "/api/v1/text/sentiment",
                        json={"texts": ["I love this, amazing!", "这款面霜太差了", ""]}).json()
    assert [t["label"] for t in texts] == ["positive", "negative", "neutral"]
