"""`kolscope campaign`, `collab` and `outreach` on the sample workspace, against a real SMTP
server on loopback: the whole collaboration from outreach to paid, and the refusals."""

from __future__ import annotations

import csv
import json
from email.message import EmailMessage
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kolscope.cli.main import app
from tests.conftest import Inbox

TERMS = """
fee = "1200"
currency = "USD"
payment_due_days = 7

[[deliverables]]
platform = "{platform}"
format = "reel"
count = 1
disclosures = ["#ad"]

[performance]
per_click = "0.05"
cap = "200"
"""
BODY = """Hi {name},

We are {brand}. We would love to work with you because of {why_you}.
We offer {offer}, and your audience gets {audience_gain}.

{sender}
"""


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        smtp_server: tuple[str, int, Inbox]) -> CliRunner:
    host, port, _ = smtp_server
    for name, value in {"DATA_DIR": str(tmp_path), "MAIL_TRANSPORT": "smtp", "SMTP_HOST": host,
                        "SMTP_PORT": str(port), "WORKSPACE": "sample"}.items():
        monkeypatch.setenv(f"KOLSCOPE_{name}", value)
    monkeypatch.delenv("KOLSCOPE_DATABASE_URL", raising=False)
    runner = CliRunner()
    assert runner.invoke(app, ["demo", "--accounts", "40"]).exit_code == 0
    return runner


def run(cli: CliRunner, *args: str, code: int = 0) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.stdout if code == 0 else result.output


def _kols(cli: CliRunner, n: int) -> list[dict[str, str]]:
    found = json.loads(run(cli, "kols", "search", "--json", "--limit", str(n)))["items"]
    assert len(found) == n
    return [{"handle": k["handle"], "platform": k["platform"]} for k in found]


def _setup(cli: CliRunner, tmp_path: Path, kols: list[dict[str, str]], cap: int = 20) -> None:
    run(cli, "campaign", "create", "--slug", "launch", "--name", "Serum launch", "--brand",
        "Acme Beauty", "--goal", "conversion", "--budget", "10000", "--currency", "USD",
        "--offer", "a paid reel and our serum", "--audience-gain", "20% off with your code")
    body = tmp_path / "intro.txt"
    body.write_text(BODY, encoding="utf-8")
    run(cli, "outreach", "template", "put", "intro", "--subject", "{brand} x {name}",
        "--body", str(body))
    run(cli, "outreach", "template", "put", "nudge", "--subject", "Re: {brand} x {name}",
        "--body", str(body))
    run(cli, "outreach", "sender", "put", "team@acme.test", "--name", "Ana at Acme",
        "--cap", str(cap))
    run(cli, "outreach", "sequence", "launch", "main", "--sender", "team@acme.test",
        "--step", "intro:0", "--step", "nudge:4")
    for i, k in enumerate(kols):
        run(cli, "collab", "contact", k["handle"], f"kol{i}@example.com",
            "--platform", k["platform"])
    run(cli, "campaign", "add", "launch", *[k["handle"] for k in kols])


def test_outreach_to_paid_from_the_cli(cli: CliRunner, tmp_path: Path,
                                       smtp_server: tuple[str, int, Inbox]) -> None:
    inbox = smtp_server[2]
    (kol,) = _kols(cli, 1)
    _setup(cli, tmp_path, [kol])
    preview = json.loads(run(cli, "outreach", "draft", "launch", "--json"))
    (message,) = preview["drafted"]
    assert "because of your " in message["body"] and "20% off with your code" in message["body"]
    run(cli, "outreach", "approve", str(message["id"]))
    assert "sent 1 via SMTP" in run(cli, "outreach", "send")
    (received,) = inbox.messages
    assert received["To"] == "kol0@example.com"
    assert "Ana at Acme" in received.get_content()
    collab = message["collaboration_id"]

    reply = tmp_path / "reply.eml"
    answer = EmailMessage()
    answer["From"] = "KOL <kol0@example.com>"
    answer["To"] = "team@acme.test"
    answer["Subject"] = "Re: " + str(received["Subject"])
    answer["Message-ID"] = "<reply-1@example.com>"
    answer["In-Reply-To"] = str(received["Message-ID"])
    answer.set_content("Sounds great, send the brief!")
    reply.write_bytes(bytes(answer))
    assert "its follow-ups are stopped" in run(cli, "outreach", "reply", "--eml", str(reply))
    assert "recorded before" in run(cli, "outreach", "reply", "--eml", str(reply))

    terms = tmp_path / "terms.toml"
    terms.write_text(TERMS.format(platform=kol["platform"]), encoding="utf-8")
    run(cli, "collab", "terms", str(collab), str(terms))
    run(cli, "collab", "move", str(collab), "agreed")
    pdf = tmp_path / "contract.pdf"
    run(cli, "collab", "contract", str(collab), "--out", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    run(cli, "collab", "move", str(collab), "contracted")
    shown = json.loads(run(cli, "collab", "show", str(collab), "--json"))
    assert shown["collaboration"]["stage"] == "contracted"
    deliverable = shown["deliverables"][0]["id"]
    failed = run(cli, "collab", "draft", str(deliverable), "--caption", "Loving this serum",
                 "--url", "https://drafts.test/1")
    assert "disclosure check FAILED: missing required disclosure: #ad" in " ".join(failed.split())
    draft = json.loads(run(cli, "collab", "draft", str(deliverable), "--caption",
                           "Loving this serum #ad", "--url", "https://drafts.test/2",
                           "--json"))
    assert draft["check"]["passed"]
    run(cli, "collab", "review", str(draft["id"]), "approve")
    drafts = json.loads(run(cli, "collab", "show", str(collab), "--json"))["deliverables"][0]
    assert [d["status"] for d in drafts["drafts"]] == ["superseded", "approved"]
    run(cli, "collab", "publish", str(deliverable), "https://instagram.com/reel/launch1")
    run(cli, "collab", "move", str(collab), "completed")
    run(cli, "collab", "performance", str(collab), "--clicks", "1000")
    book = json.loads(run(cli, "collab", "ledger", str(collab), "--json"))
    assert book["due"] == "1250.00"
    run(cli, "collab", "pay", str(collab), book["outstanding"], "--method", "bank_transfer",
        "--reference", "INV-7")
    assert "is paid" in run(cli, "collab", "move", str(collab), "paid")
    board = json.loads(run(cli, "campaign", "board", "launch", "--json"))
    assert [c["id"] for c in board["paid"]] == [collab]
    csv_text = run(cli, "campaign", "ledger", "launch")
    assert csv_text.splitlines()[0].startswith("id,campaign,handle,kind,amount")
    assert len(csv_text.splitlines()) == 4  # header, fee, performance, payment
    assert len(inbox.messages) == 1  # the reply stopped the follow-up


def test_the_cap_and_the_suppression_list_hold_from_the_cli(
        cli: CliRunner, tmp_path: Path, smtp_server: tuple[str, int, Inbox]) -> None:
    inbox = smtp_server[2]
    kols = _kols(cli, 3)
    _setup(cli, tmp_path, kols, cap=1)
    run(cli, "outreach", "suppress", f"{kols[2]['platform']}:{kols[2]['handle']}",
        "--reason", "asked not to be contacted")
    preview = json.loads(run(cli, "outreach", "draft", "launch", "--json"))
    assert len(preview["drafted"]) == 2
    assert preview["skipped"] == [f"@{kols[2]['handle']}: on the do-not-contact list"]
    run(cli, "outreach", "approve", *[str(m["id"]) for m in preview["drafted"]])
    report = json.loads(run(cli, "outreach", "send", "--json"))
    assert len(report["sent"]) == 1 and len(report["deferred"]) == 1
    again = json.loads(run(cli, "outreach", "send", "--json"))
    assert again["sent"] == []
    assert [m["To"] for m in inbox.messages] == ["kol0@example.com"]


def test_refusals_change_nothing(cli: CliRunner, tmp_path: Path) -> None:
    (kol,) = _kols(cli, 1)
    _setup(cli, tmp_path, [kol])
    collab = json.loads(run(cli, "campaign", "board", "launch", "--json"))["shortlisted"][0]["id"]
    out = run(cli, "collab", "move", str(collab), "paid", code=5)
    assert "cannot move from shortlisted to paid" in out
    assert "allowed from shortlisted: contacted, prospect, declined, cancelled" in out
    run(cli, "collab", "move", str(collab), "contacted")
    run(cli, "collab", "move", str(collab), "negotiating")
    assert "has no terms" in run(cli, "collab", "move", str(collab), "agreed", code=5)
    bad = tmp_path / "bad.toml"
    bad.write_text('fee = 12.5\ncurrency = "USD"\n[[deliverables]]\nplatform = "x"\n'
                   'format = "post"\n', encoding="utf-8")
    assert "bad.toml: fee" in run(cli, "collab", "terms", str(collab), str(bad), code=5)
    broken = tmp_path / "broken.toml"
    broken.write_text("fee = \n", encoding="utf-8")
    assert "not valid TOML" in run(cli, "collab", "terms", str(collab), str(broken), code=5)
    body = tmp_path / "bad.txt"
    body.write_text("Hi {nmae}", encoding="utf-8")
    out = run(cli, "outreach", "template", "put", "intro", "--subject", "x", "--body", str(body),
              code=5)
    assert "unknown merge field {nmae}" in out
    templates = json.loads(run(cli, "outreach", "template", "list", "--json"))
    assert next(t for t in templates if t["name"] == "intro")["subject"] == "{brand} x {name}"
    shown = json.loads(run(cli, "collab", "show", str(collab), "--json"))
    assert shown["collaboration"]["stage"] == "negotiating"
    assert shown["collaboration"]["terms"] is None


def test_a_shortlist_export_becomes_a_campaign_in_one_step(cli: CliRunner,
                                                          tmp_path: Path) -> None:
    shortlist = tmp_path / "shortlist.csv"
    run(cli, "kols", "export", "--format", "csv", "--output", str(shortlist), "--tier", "micro")
    with shortlist.open(encoding="utf-8", newline="") as f:
        exported = len(list(csv.DictReader(f)))
    assert exported > 0
    run(cli, "campaign", "create", "--slug", "launch", "--name", "Launch", "--brand", "Acme")
    added = json.loads(run(cli, "campaign", "add", "launch", "--from", str(shortlist), "--json"))
    assert len(added["added"]) == exported and added["existing"] == []
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"handle": added["added"][0]["handle"]},
                               {"handle": "nobody_at_all"}]), encoding="utf-8")
    out = " ".join(run(cli, "campaign", "add", "launch", "--from", str(bad), code=3).split())
    assert "bad.json row 2: no account 'nobody_at_all'" in out  # the second object
    board = json.loads(run(cli, "campaign", "board", "launch", "--json"))
    assert len(board["shortlisted"]) == exported  # the refused file added nothing
