"""Outreach rules: templates checked when saved, rendering, follow-up steps and daily caps."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kolscope.core.campaigns.outreach import (
    MAX_BODY,
    MAX_SUBJECT,
    MERGE_FIELDS,
    Step,
    Template,
    check_cap,
    check_display_name,
    next_step,
    normalize_address,
    parse_steps,
    parse_template,
    render,
)
from kolscope.errors import InvalidInput

BODY = "Hello {name},\n\nWe love your {niche} posts. {{Not a field}}\n{offer}\n\n{sender}"


def _template() -> Template:
    return parse_template("intro", "{brand} x {name}", BODY)


def test_parse_template_accepts_known_fields_and_literal_braces() -> None:
    template = _template()
    assert template == Template("intro", "{brand} x {name}", BODY)
    assert template.fields == ["brand", "name", "niche", "offer", "sender"]


def test_every_merge_field_is_accepted() -> None:
    body = " ".join("{" + f + "}" for f in MERGE_FIELDS)
    assert parse_template("all", "Hi", body).fields == list(MERGE_FIELDS)
    assert len(MERGE_FIELDS) == 10


def test_template_without_fields() -> None:
    assert parse_template("plain", "Hello", "A plain {{note}}.").fields == []


@pytest.mark.parametrize(("body", "line"), [
    ("Hi {nmae}", 1),
    ("Hi {name},\n\nLove your {nich} posts", 3),
    ("Hi {name}\n{{nich}} is literal\n{nich}", 3),
])
def test_unknown_field_names_field_and_line(body: str, line: int) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_template("intro", "Hello", body)
    bad = body.rsplit("{", 1)[1].split("}")[0]
    assert info.value.message.startswith(f"body line {line}: unknown merge field {{{bad}}}; "
                                         "known fields are {name}, {handle}, ")
    assert info.value.field == "body"
    assert info.value.context["line"] == line


def test_unknown_field_in_subject() -> None:
    with pytest.raises(InvalidInput, match=r"^subject line 1: unknown merge field \{first\}") as e:
        parse_template("intro", "Hi {first}", "Body")
    assert e.value.field == "subject"


@pytest.mark.parametrize("body", ["Hi {}", "Hi {0}", "Hi {name.upper}", "Hi {name[0]}"])
def test_positional_and_attribute_fields_refused(body: str) -> None:
    with pytest.raises(InvalidInput, match="unknown merge field"):
        parse_template("intro", "Hello", body)


@pytest.mark.parametrize(("body", "line"), [
    ("Hi {name:>10}", 1),
    ("Hi {name!r}", 1),
    ("Hi {name!s:^5}", 1),
    ("Hi {name}\nagain {name:>10}", 2),
])
def test_format_spec_and_conversion_refused(body: str, line: int) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_template("intro", "Hello", body)
    assert info.value.message == (f"body line {line}: {{name}} takes no format spec or "
                                  "conversion")
    assert info.value.context["line"] == line


@pytest.mark.parametrize(("body", "reason"), [
    ("Hi {name", "expected '}' before end of string"),
    ("Hi name}", "Single '}' encountered in format string"),
    ("Hi {name}}", "Single '}' encountered in format string"),
    ("Hi {", "Single '{' encountered in format string"),
])
def test_unbalanced_braces_refused(body: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_template("intro", "Hello", body)
    assert info.value.message == f"body: {reason} (write {{{{ and }}}} for literal braces)"
    assert info.value.field == "body"


@pytest.mark.parametrize("name", ["intro", "a", "0", "follow-up_2", "x" * 60])
def test_good_template_names(name: str) -> None:
    assert parse_template(name, "Hi", "Body").name == name


@pytest.mark.parametrize("name", ["", "Intro", "-intro", "_intro", "intro mail", "intro.v2",
                                  "x" * 61, "引言"])
def test_bad_template_names(name: str) -> None:
    with pytest.raises(InvalidInput, match="template names are 1-60") as info:
        parse_template(name, "Hi", "Body")
    assert info.value.field == "name"


@pytest.mark.parametrize("subject", ["", "   ", "Hi\nthere", "x" * (MAX_SUBJECT + 1)])
def test_bad_subject(subject: str) -> None:
    message = r"^subject must be one line of 1-200 characters$"
    with pytest.raises(InvalidInput, match=message) as info:
        parse_template("intro", subject, "Body")
    assert info.value.field == "subject"


def test_longest_subject_and_body() -> None:
    template = parse_template("intro", "s" * MAX_SUBJECT, "b" * MAX_BODY)
    assert len(template.subject) == 200 and len(template.body) == 10_000


@pytest.mark.parametrize("body", ["", " \n\t ", "b" * (MAX_BODY + 1)])
def test_bad_body(body: str) -> None:
    with pytest.raises(InvalidInput, match=r"^body must be 1-10,000 characters$") as info:
        parse_template("intro", "Hi", body)
    assert info.value.field == "body"


def test_render_fills_values() -> None:
    subject, body = render(_template(), {
        "brand": "Glow Labs", "name": " Mia ", "niche": "skincare",
        "offer": "a serum kit and 500 EUR", "sender": "Ann", "handle": None}, who="@mia")
    assert subject == "Glow Labs x Mia"
    assert body == ("Hello Mia,\n\nWe love your skincare posts. {Not a field}\n"
                    "a serum kit and 500 EUR\n\nAnn")


def test_render_refuses_missing_and_blank_values() -> None:
    with pytest.raises(InvalidInput) as info:
        render(_template(), {"brand": "Glow Labs", "name": "Mia", "niche": "   ",
                             "sender": None}, who="@mia")
    assert info.value.message == ("@mia: no value for {niche}, {offer}, {sender} in template "
                                  "'intro'")
    assert info.value.field == "niche"


def test_render_without_fields_needs_no_values() -> None:
    template = parse_template("plain", "Hello", "Braces {{stay}}")
    assert render(template, {}, who="@x") == ("Hello", "Braces {stay}")


def test_parse_steps() -> None:
    assert parse_steps([("intro", 0), ("nudge", 3), ("last", 60)]) == (
        Step("intro", 0), Step("nudge", 3), Step("last", 60))
    assert len(parse_steps([("a", 0), ("b", 1), ("c", 1), ("d", 1), ("e", 1)])) == 5


@pytest.mark.parametrize(("steps", "message"), [
    ([], "a sequence has 1 to 5 steps"),
    ([("a", 0)] + [("b", 1)] * 5, "a sequence has 1 to 5 steps"),
    ([("a", 1)], "the first step goes out when approved: delay 0"),
    ([("a", 0), ("b", 0)], "step 2: follow-ups wait 1 to 60 days"),
    ([("a", 0), ("b", 3), ("c", 61)], "step 3: follow-ups wait 1 to 60 days"),
    ([("a", 0), ("b", -2)], "step 2: follow-ups wait 1 to 60 days"),
])
def test_parse_steps_refusals(steps: list[tuple[str, int]], message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as info:
        parse_steps(steps)
    assert info.value.field == "steps"


def test_next_step_walks_the_sequence_and_stops() -> None:
    steps = parse_steps([("intro", 0), ("nudge", 3), ("last", 7)])
    t = datetime(2025, 5, 1, 9, 0)
    assert next_step(steps, sent=[], replied=False) == (1, timedelta(0))
    assert next_step(steps, sent=[t], replied=False) == (2, timedelta(days=3))
    assert next_step(steps, sent=[t, t], replied=False) == (3, timedelta(days=7))
    assert next_step(steps, sent=[t, t, t], replied=False) is None
    assert next_step(steps, sent=[t, t, t, t], replied=False) is None


def test_next_step_stops_on_reply() -> None:
    steps = parse_steps([("intro", 0), ("nudge", 3)])
    assert next_step(steps, sent=[datetime(2025, 5, 1)], replied=True) is None
    assert next_step(steps, sent=[], replied=True) is None


@pytest.mark.parametrize(("value", "address"), [
    ("  Mia@Example.COM ", "mia@example.com"),
    ("mia.b+kol@mail.example.co.uk", "mia.b+kol@mail.example.co.uk"),
])
def test_normalize_address(value: str, address: str) -> None:
    assert normalize_address(value) == address


@pytest.mark.parametrize("value", ["not-an-email", "", "mia@example", "@example.com",
                                   "mia@@example.com", "mia b@example.com",
                                   "<mia@example.com>", "a@b.c,d@e.f",
                                   "m@" + "x" * 250 + ".com"])
def test_normalize_address_refuses(value: str) -> None:
    with pytest.raises(InvalidInput, match=r"^address: not an email address: ") as info:
        normalize_address(value)
    assert info.value.field == "address"


def test_an_address_error_names_the_field_it_came_from() -> None:
    with pytest.raises(InvalidInput, match=r"^email: not an email address") as info:
        normalize_address("nope", "email")
    assert info.value.field == "email"


@pytest.mark.parametrize("name", ["Sam\r\nBcc: victim@evil.example", "Sam\nX", "Sam\x00", "",
                                  "   ", "x" * 201])
def test_a_display_name_with_a_line_break_or_nothing_in_it_is_refused(name: str) -> None:
    with pytest.raises(InvalidInput) as info:
        check_display_name(name)
    assert info.value.field == "display_name"


def test_a_display_name_is_trimmed() -> None:
    assert check_display_name("  Mia at Glow Lab ") == "Mia at Glow Lab"


@pytest.mark.parametrize(("cap", "sent_today", "wanted", "allowed"), [
    (50, 10, 30, 30),
    (50, 10, 45, 40),
    (50, 50, 5, 0),
    (50, 60, 5, 0),
    (0, 0, 5, 0),
    (50, 0, 0, 0),
    (50, 0, -3, 0),
])
def test_check_cap(cap: int, sent_today: int, wanted: int, allowed: int) -> None:
    assert check_cap(cap=cap, sent_today=sent_today, wanted=wanted) == allowed


def test_check_cap_bounds() -> None:
    for cap in range(0, 12, 3):
        for sent_today in range(0, 15, 2):
            for wanted in range(0, 15, 2):
                allowed = check_cap(cap=cap, sent_today=sent_today, wanted=wanted)
                assert 0 <= allowed <= wanted
                assert sent_today + allowed <= max(cap, sent_today)


def test_line_counts_past_literal_braces_on_earlier_lines() -> None:
    with pytest.raises(InvalidInput, match=r"^body line 5: unknown merge field \{nich\}") as info:
        parse_template("intro", "Hi", "a\n}}\n{name}\n{{\n{nich}")
    assert info.value.context["line"] == 5


def test_field_right_after_literal_brace() -> None:
    with pytest.raises(InvalidInput, match=r"^body line 1: unknown merge field \{nich\}"):
        parse_template("intro", "Hi", "{{{nich}")
    assert parse_template("intro", "Hi", "{{{name}}}").fields == ["name"]


def test_render_inserts_values_literally() -> None:
    template = parse_template("intro", "Hi {name}", "Body {name} {{x}}")
    assert render(template, {"name": "{brand} 100%"}, who="@x") == (
        "Hi {brand} 100%", "Body {brand} 100% {x}")
