"""The web pages through the served application: redirects, search, profiles, imports, errors."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kolscope.adapters.db.database import Database
from kolscope.adapters.engines import get_engine
from kolscope.adapters.sources import open_source
from kolscope.app.classification import classify_workspace
from kolscope.app.discovery import compute_authority
from kolscope.app.imports import start_import
from kolscope.app.workspaces import create_workspace
from kolscope.jobs.runtime import Runtime
from kolscope.server import create_server
from kolscope.settings import Settings
from tests.conftest import FIXTURES, do_import, fixed_clock

BANNER = "Synthetic sample data: generated accounts, not real people"


@pytest.fixture
def client(runtime: Runtime, settings: Settings, workspace: str) -> Iterator[TestClient]:
    do_import(runtime.db, settings, "influencers", FIXTURES / "influencers.tsv")
    do_import(runtime.db, settings, "instagram", FIXTURES / "instaloader_posts.jsonl")
    with TestClient(create_server(settings, runtime)) as test_client:
        yield test_client


def handles(html: str) -> list[str]:
    """The handles of the search results, in their order."""
    return re.findall(r'class="handle" href="[^"]+">@([^<]+)</a>', html)


def account_id(client: TestClient, handle: str) -> int:
    found = re.search(rf'href="/w/acme/accounts/(\d+)">@{handle}<', client.get("/w/acme").text)
    assert found, f"@{handle} is not in the search results"
    return int(found.group(1))


def add_workspace(db: Database, slug: str, *, synthetic: bool = False) -> None:
    with db.uow() as uow:
        create_workspace(uow, slug=slug, is_synthetic=synthetic, clock=fixed_clock)
        uow.commit()


# --- the front door ------------------------------------------------------------------------------

def test_root_redirects_to_the_workspace_search(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 302 and response.headers["location"] == "/w/acme"


def test_root_prefers_the_configured_workspace_then_one_with_creators(
        runtime: Runtime, settings: Settings) -> None:
    add_workspace(runtime.db, "empty")
    add_workspace(runtime.db, "full")
    do_import(runtime.db, settings, "influencers", FIXTURES / "influencers.tsv", workspace="full")
    with TestClient(create_server(settings, runtime)) as client:
        assert client.get("/", follow_redirects=False).headers["location"] == "/w/full"
    configured = dataclasses.replace(runtime, settings=settings.model_copy(
        update={"workspace": "empty"}))
    with TestClient(create_server(settings, configured)) as client:
        assert client.get("/", follow_redirects=False).headers["location"] == "/w/empty"


def test_root_without_workspaces_says_how_to_start(runtime: Runtime, settings: Settings) -> None:
    with TestClient(create_server(settings, runtime)) as client:
        response = client.get("/")
    assert response.status_code == 200
    assert "kolscope demo" in response.text and "kolscope workspace create" in response.text


# --- search --------------------------------------------------------------------------------------

def test_search_lists_the_imported_creators(client: TestClient) -> None:
    response = client.get("/w/acme")
    assert response.status_code == 200
    html = response.text
    # best match first: with no brief and no authority yet, that is engagement within the tier
    assert handles(html) == ["glowwithmia", "techwithtom", "makeupbynvs"]
    assert "3</span> creator accounts" in html
    for shown in ("Mia Chen", "Beauty and skincare", "6.98%", "1.50%", "40K", "12K", "50%",
                  "2019-01-15", 'name="min_engagement_rate"', "Min engagement rate (%)"):
        assert shown in html, shown
    assert BANNER not in html


def test_a_brief_box_ranks_and_explains(client: TestClient) -> None:
    html = client.get("/w/acme", params={"text": "serum skincare"}).text
    assert '<textarea id="f-text" name="text"' in html and "serum skincare</textarea>" in html
    assert handles(html)[0] == "glowwithmia"
    assert 'class="why-list"' in html and "uses the brief&#39;s words: serum" in html
    assert 'name="active_days"' in html


def test_profile_lists_lookalikes_with_reasons(client: TestClient) -> None:
    html = client.get(f"/w/acme/accounts/{account_id(client, 'glowwithmia')}").text
    assert "Accounts like this one" in html
    section = html.split("Accounts like this one")[1].split("</section>")[0]
    assert "@techwithtom" in section and "writes about the same things" in section


@pytest.mark.parametrize(("params", "expected"), [
    ({"platform": "instagram", "tier": "micro"},
     ["glowwithmia", "techwithtom", "makeupbynvs"]),
    ({"platform": "tiktok"}, []),
    ({"min_followers": "10000"}, ["techwithtom"]),
    ({"max_followers": "1999"}, ["makeupbynvs"]),
    ({"niche": "beauty"}, ["glowwithmia"]),
    ({"min_engagement_rate": "5"}, ["glowwithmia"]),  # percent: 5% is 0.05
    ({"max_engagement_rate": "2"}, ["techwithtom"]),
    ({"text": "Tom"}, ["techwithtom"]),
    ({"sort": "followers"}, ["techwithtom", "glowwithmia", "makeupbynvs"]),
    ({"platform": "", "min_followers": " ", "text": ""},
     ["glowwithmia", "techwithtom", "makeupbynvs"]),
])
def test_filters_narrow_the_results(client: TestClient, params: dict[str, str],
                                    expected: list[str]) -> None:
    response = client.get("/w/acme", params=params)
    assert response.status_code == 200
    assert handles(response.text) == expected
    if not expected:
        assert "No creator matches these filters" in response.text


def test_pages_move_through_the_results(client: TestClient) -> None:
    first = client.get("/w/acme", params={"sort": "followers", "limit": "1"}).text
    assert handles(first) == ["techwithtom"] and "Page 1 of 3" in first
    next_link = re.search(r'rel="next" href="([^"]+)"', first)
    assert next_link and 'rel="prev"' not in first
    second = client.get("/w/acme" + next_link.group(1).replace("&amp;", "&")).text
    assert handles(second) == ["glowwithmia"] and "Page 2 of 3" in second
    assert 'rel="prev"' in second and 'rel="next"' in second


@pytest.mark.parametrize(("params", "message"), [
    ({"min_followers": "abc"}, "Enter a whole number"),
    ({"min_engagement_rate": "lots"}, "Enter a percentage as a number"),
    ({"tier": "huge"}, "Choose one of"),
    ({"min_followers": "5000", "max_followers": "10"}, "Min followers is larger than max"),
    ({"limit": "0"}, "Must be at least 1"),
])
def test_invalid_filters_are_explained_not_crashed(client: TestClient, params: dict[str, str],
                                                   message: str) -> None:
    response = client.get("/w/acme", params=params)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert 'class="field-error"' in response.text and message in response.text
    assert handles(response.text) == []
    name, value = next(iter(params.items()))
    assert re.search(rf'name="{name}"[^>]*value="{value}"', response.text) or name in {
        "tier", "limit"}, "the typed value is shown again"


# --- profile -------------------------------------------------------------------------------------

def test_profile_shows_identity_metrics_posts_and_chart(client: TestClient) -> None:
    response = client.get(f"/w/acme/accounts/{account_id(client, 'glowwithmia')}")
    assert response.status_code == 200
    html = response.text
    for shown in ("@glowwithmia", "Mia Chen", "Beauty and skincare", "instaloader_posts.jsonl",
                  "2026-01-01 00:00 UTC", "Engagement rate", "6.98%", "Posts analysed",
                  "Method profile-1", "Sponsored share", "2.0", "paid partnership",
                  "Sunday brunch in the city", "https://www.instagram.com/p/AAA2/"):
        assert shown in html, shown
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S)
    assert svg, "the engagement chart is drawn inline"
    assert 'role="img"' in svg.group(0) and 'aria-label="Engagement rate of 2 posts' in svg.group(0)
    tooltips = re.findall(r"<circle[^>]*><title>([^<]+)</title></circle>", svg.group(0))
    assert tooltips == ["2019-01-01: 9.15% (image, sponsored)", "2019-01-08: 4.80% (carousel)"]
    assert "Post date" in svg.group(0) and "10.0%" in svg.group(0)


def test_profile_of_an_account_without_posts(client: TestClient) -> None:
    html = client.get(f"/w/acme/accounts/{account_id(client, 'makeupbynvs')}").text
    assert "<svg" not in html and "No dated posts" in html
    assert "No posts of this account are stored" in html
    assert "1,432" in html and "—" in html


@pytest.mark.parametrize(("path", "message"), [
    ("/w/acme/accounts/999", "Account 999 not found"),
    ("/w/nowhere", "Workspace &#39;nowhere&#39; does not exist"),
    ("/w/acme/accounts/abc", "There is no page at this address"),
    ("/w/acme/imports/77", "Import job 77 not found"),
])
def test_missing_things_get_an_html_404(client: TestClient, path: str, message: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert message in response.text and 'href="/"' in response.text


def test_api_errors_stay_json(client: TestClient) -> None:
    assert client.get("/api/v1/nothing").json() == {"detail": "Not Found"}


# --- workspaces ----------------------------------------------------------------------------------

def test_synthetic_banner_only_on_synthetic_workspaces(client: TestClient,
                                                       runtime: Runtime) -> None:
    add_workspace(runtime.db, "demo", synthetic=True)
    for path in ("/w/demo", "/w/demo/imports"):
        assert BANNER in client.get(path).text, path
    assert "This workspace has no creators yet" in client.get("/w/demo").text
    acme = client.get("/w/acme").text
    assert BANNER not in acme
    assert 'href="/w/demo"' in acme and 'href="/w/demo/imports"' in acme  # the switcher


# --- imports -------------------------------------------------------------------------------------

def test_upload_runs_an_import_and_reports_it(client: TestClient, runtime: Runtime) -> None:
    response = client.post("/w/acme/imports", data={"kind": "influencers"},
                           files={"file": ("influencers.tsv",
                                           (FIXTURES / "influencers.tsv").read_bytes())},
                           follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    job_id = int(location.rsplit("/", 1)[1])
    assert location == f"/w/acme/imports/{job_id}"
    runtime.runner.wait(job_id, timeout=60)
    status = client.get(f"{location}/status").json()
    assert status["status"] == "succeeded" and status["progress"] == 1.0
    assert status["counts"]["records"] == 3 and status["counts"]["accounts_known"] == 3
    assert status["rejected"] == 0
    page = client.get(location).text
    assert "succeeded" in page and "Records read" in page and "No line was rejected" in page
    assert 'aria-valuenow="100"' in page and "import-job.js" not in page
    assert f'href="/w/acme/imports/{job_id}">#{job_id}</a>' in client.get("/w/acme/imports").text


def test_rejected_lines_are_listed(client: TestClient, runtime: Runtime) -> None:
    body = b"Username\tCategory\t#Followers\t#Followees\t#Posts\nok\tbeauty\t5000\t1\t2\n" \
           b"broken\tbeauty\tlots\t1\t2\n"
    response = client.post("/w/acme/imports", data={"kind": "influencers"},
                           files={"file": ("mixed.tsv", body)})
    job_id = int(str(response.url).rsplit("/", 1)[1])
    runtime.runner.wait(job_id, timeout=60)
    page = client.get(f"/w/acme/imports/{job_id}").text
    assert "mixed.tsv" in page and "not a whole number" in page and "#followers" in page
    assert re.search(r'class="num">3</td>', page), "the rejected line number is shown"


def test_a_queued_job_page_polls_its_status(client: TestClient, runtime: Runtime,
                                            settings: Settings) -> None:
    with runtime.db.uow() as uow:
        job_id = start_import(uow, workspace="acme", clock=fixed_clock,
                              source=open_source("influencers", FIXTURES / "influencers.tsv"))
        uow.commit()
    page = client.get(f"/w/acme/imports/{job_id}").text
    assert f'data-status-url="/w/acme/imports/{job_id}/status"' in page
    assert "/static/import-job.js" in page and "queued" in page
    status = client.get(f"/w/acme/imports/{job_id}/status").json()
    assert status == {"status": "queued", "progress": 0.0, "counts": {}, "rejected": 0}
    assert client.get("/static/import-job.js").status_code == 200


@pytest.mark.parametrize(("data", "files", "message"), [
    ({"kind": "tiktok"}, {"file": ("a.tsv", b"x")}, "Unknown import kind &#39;tiktok&#39;"),
    ({"kind": "influencers"}, {"file": ("a.tsv", b"")}, "The uploaded file is empty"),
    ({"kind": "influencers"}, {"file": ("", b"")}, "Choose a file to upload"),
    ({"kind": "influencers"}, None, "Choose a file to upload"),
    ({}, {"file": ("a.tsv", b"x")}, "Choose what kind of file this is"),
])
def test_bad_uploads_are_explained(client: TestClient, data: dict[str, str],
                                   files: dict[str, tuple[str, bytes]] | None, message: str,
                                   settings: Settings) -> None:
    response = client.post("/w/acme/imports", data=data, files=files)
    assert response.status_code == 400
    assert "data-upload-error" in response.text and message in response.text
    assert response.text.count('href="/w/acme/imports/') == 2, "no job was queued"
    uploads = Path(settings.data_dir) / "uploads"
    assert not uploads.exists() or not any(p.is_file() for p in uploads.rglob("*"))


def test_upload_to_an_unknown_workspace_is_404(client: TestClient) -> None:
    response = client.post("/w/nowhere/imports", data={"kind": "influencers"},
                           files={"file": ("a.tsv", b"x")})
    assert response.status_code == 404 and "does not exist" in response.text


# --- plumbing ------------------------------------------------------------------------------------

def test_static_files_and_a_clean_openapi(client: TestClient) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200 and ".synthetic-banner" in css.text
    paths = client.get("/openapi.json").json()["paths"]
    assert paths and not [p for p in paths if p == "/" or p.startswith("/w/")]


def test_profile_shows_authority_once_computed(client: TestClient, runtime: Runtime) -> None:
    mia = account_id(client, "glowwithmia")
    assert "kolscope discover authority" in client.get(f"/w/acme/accounts/{mia}").text
    compute_authority(runtime.db.uow, workspace="acme", engine=get_engine("local"),
                      clock=fixed_clock)
    html = client.get(f"/w/acme/accounts/{mia}").text
    assert "Authority percentile" in html and "authority-1" in html
    ranked = client.get("/w/acme", params={"sort": "authority", "min_authority_percentile": "0"})
    assert ranked.status_code == 200 and "glowwithmia" in handles(ranked.text)


def test_profile_explains_the_kol_type(client: TestClient, runtime: Runtime) -> None:
    mia = account_id(client, "glowwithmia")
    assert "kolscope discover classify" in client.get(f"/w/acme/accounts/{mia}").text
    classify_workspace(runtime.db.uow, workspace="acme", clock=fixed_clock)
    html = client.get(f"/w/acme/accounts/{mia}").text
    assert "kol-type-1" in html and "niche-1" in html and "followers" in html
    assert client.get("/w/acme", params={"kol_type": "koc"}).status_code == 200


def test_audience_page(client: TestClient) -> None:
    assert client.get("/w/acme/audience").status_code == 200
    html = client.get("/w/acme/audience", params={"seeds": "glowwithmia"}).text
    assert "Accounts this audience engages with" in html and "audience-1" in html
    bad = client.get("/w/acme/audience", params={"seeds": "nobody"})
    assert bad.status_code == 400 and "nobody" in bad.text


def test_vetting_page_vets_shows_signals_and_takes_an_override(client: TestClient) -> None:
    account = account_id(client, "glowwithmia")
    page = client.get(f"/w/acme/accounts/{account}/vetting")
    assert page.status_code == 200 and "data-not-vetted" in page.text
    assert f"/w/acme/accounts/{account}/vetting" in client.get(
        f"/w/acme/accounts/{account}").text
    done = client.post(f"/w/acme/accounts/{account}/vetting", follow_redirects=False)
    assert done.status_code == 303
    page = client.get(f"/w/acme/accounts/{account}/vetting")
    assert 'data-signal="audience_fake_share"' in page.text and "data-risk" in page.text
    missing = client.post(f"/w/acme/accounts/{account}/vetting/override",
                          data={"verdict": "fail", "reason": " "})
    assert missing.status_code == 400 and "reason" in missing.text
    saved = client.post(f"/w/acme/accounts/{account}/vetting/override",
                        data={"verdict": "fail", "reason": "off-brand", "author": "dana"})
    assert saved.status_code == 200 and 'data-verdict="fail"' in saved.text
    assert "set by dana" in saved.text
