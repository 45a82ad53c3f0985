"""One source of truth for words and rules: the server publishes the vocabulary and what the
signed-in user may do; the PWA renders from it. These tests fail when a value exists on one
side only: a route's roles against its capability, a Dutch label without its English, or a
code or role name the PWA restates instead of taking it from the server."""

import re
from pathlib import Path
from typing import get_args

from app.api.visits import QuestionIn
from app.i18n import catalog
from services.accounts.capabilities import CAPABILITIES, capabilities
from services.accounts.models import Role
from services.alarms import service as alarms
from services.incidents import access
from services.incidents.form import QUESTIONS, seven_ws
from services.vocabulary import vocabulary

USER_OF_ROLE = {
    Role.MEDEWERKER: "sanne",
    Role.LEIDINGGEVENDE: "lisa",
    Role.COORDINATOR: "coordinator",
    Role.BEHEERDER: "beheer",
}
# Flags behind which no route is gated, only a rule in a service: it must use the same roles.
SERVICE_RULES = {
    "alarm_timeline": alarms.OVERSEERS,  # may_see_timeline: GET /api/alarms/<id> "timeline"
    "team_incidents": access.MANAGING_ROLES,  # the register's scope (incidents/access.py)
}
PWA = Path(__file__).resolve().parents[2] / "pwa"


def _api_docs(app) -> dict:
    """endpoint name -> (rule, its ApiDoc) of every API route."""
    rules = {r.endpoint: r.rule for r in app.url_map.iter_rules()}
    return {
        name: (rules[name], view.api_doc)
        for name, view in app.view_functions.items()
        if hasattr(view, "api_doc")
    }


def test_me_sends_every_capability_for_each_role(app, clients):
    for role, username in USER_OF_ROLE.items():
        can = clients[username].get("/api/me").get_json()["can"]
        assert can == capabilities(role), role
        assert set(can) == set(CAPABILITIES)


def test_each_flag_gates_routes_that_allow_exactly_its_roles(app):
    gated: dict[str, list] = {}
    for name, (rule, doc) in _api_docs(app).items():
        if doc.capability:
            gated.setdefault(doc.capability, []).append(rule)
            assert doc.roles == frozenset(CAPABILITIES[doc.capability]), name
    for flag, roles in CAPABILITIES.items():
        if flag in SERVICE_RULES:
            assert set(SERVICE_RULES[flag]) == set(roles), flag
        else:
            assert gated.get(flag), f"no route is gated by {flag!r}"


def test_a_route_behind_a_flag_refuses_exactly_the_roles_without_it(app, clients):
    """Over HTTP: every gated GET route without path parameters, for a user of each role."""
    routes = [
        (rule, doc.capability)
        for rule, doc in _api_docs(app).values()
        if doc.capability and doc.method == "GET" and "<" not in rule
    ]
    assert len(routes) >= 4
    for role, username in USER_OF_ROLE.items():
        for rule, flag in routes:
            status = clients[username].get(rule).status_code
            assert (status == 403) == (not capabilities(role)[flag]), (role, rule, status)


def test_vocabulary_is_the_services_words_in_the_users_language(clients):
    client = clients["sanne"]
    nl = client.get("/api/vocabulary").get_json()
    assert nl == vocabulary()
    en = client.get("/api/vocabulary?lang=en").get_json()
    assert en["kinds"][0] == {"code": "verbaal", "label": "Verbal violence"}
    assert client.get("/api/vocabulary", headers={"Accept-Language": "en"}).get_json() == en


def test_vocabulary_is_cacheable_with_an_etag(client, clients):
    assert client.get("/api/vocabulary").status_code == 401
    first = clients["sanne"].get("/api/vocabulary")
    etag = first.headers["ETag"]
    again = clients["lisa"].get("/api/vocabulary", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.get_data()
    compressed = clients["sanne"].get("/api/vocabulary", headers={"Accept-Encoding": "br"})
    assert compressed.headers["Content-Encoding"] == "br"
    assert len(compressed.get_data()) < 3200  # small: fetched on every start (brotli)


def test_the_annex_8_form_is_published_as_the_server_checks_it():
    """The PWA draws the completion form from the vocabulary: every question of
    services/incidents/form.py in its order, kind, length, part and follow-up rule."""
    v = vocabulary()
    published = v["gir_questions"]
    assert [q["code"] for q in published] == [q.field for q in QUESTIONS]
    for q, entry in zip(QUESTIONS, published, strict=True):
        assert (entry["kind"], entry["part"], entry.get("follow_up_of")) == (
            q.kind,
            q.part,
            q.follow_up_of,
        )
        assert entry.get("max") == (q.max_length if q.kind == "text" else None)
    yes_no = {q.field for q in QUESTIONS if q.kind == "yes_no"}
    assert {q.follow_up_of for q in QUESTIONS if q.follow_up_of} <= yes_no
    assert {q["part"] for q in published} == {p["code"] for p in v["gir_parts"]}
    assert [a["value"] for a in v["yes_no_answers"]] == [True, False, None]
    ws = seven_ws(
        aggressor_named=False,
        form={},
        description="",
        kinds=[],
        location="",
        channel="telefoon",
        occurred_at=None,
    )
    assert [w["code"] for w in v["seven_ws"]] == list(ws)


def test_the_risk_answers_are_the_ones_a_checklist_accepts():
    accepted = get_args(QuestionIn.model_fields["risk_answer"].annotation)
    assert [a["code"] for a in vocabulary()["risk_answers"]] == list(accepted)


def _texts(value):
    if isinstance(value, list):
        for v in value:
            yield from _texts(v)
    elif isinstance(value, dict):
        for key, v in value.items():
            if key in ("label", "help"):
                yield v
            else:
                yield from _texts(v)


def test_every_label_of_the_vocabulary_has_its_english():
    english = catalog("en")
    missing = [text for text in _texts(vocabulary()) if text not in english]
    assert missing == []


def _codes() -> set[str]:
    """Every code of the vocabulary the PWA could restate."""
    v = vocabulary()
    found = {e["code"] for value in v.values() if isinstance(value, list) for e in value}
    return found | {v["combination"], v["no_measure"], v["police_default"]}


def _pwa_sources():
    for path in sorted([*PWA.rglob("*.js"), *PWA.rglob("*.html")]):
        relative = path.relative_to(PWA).as_posix()
        if relative.startswith(("vendor/", "i18n/")) or relative == "js/i18n.js":
            continue  # the texts are keyed by code; they are not lists the app renders
        yield relative, path.read_text(encoding="utf-8")


def _restated(source: str, words: set[str]) -> set[str]:
    """Words that stand as a value of their own: a string literal or an attribute value (a
    single letter, such as behaviour type "A", only as an option's or input's value)."""
    quoted = set(re.findall(r"""["'`]([a-z_]{2,})["'`]""", source))
    values = set(re.findall(r"""\bvalue[=:]\s*["']([^"']+)["']""", source))
    return (quoted | values) & words


def test_the_pwa_restates_no_code_of_the_vocabulary():
    codes = _codes()
    restated = {}
    for relative, source in _pwa_sources():
        found = _restated(source, codes)
        if found:
            restated[relative] = sorted(found)
    assert restated == {}


def test_the_pwa_restates_no_role():
    roles = {str(r) for r in Role}
    restated = {
        rel: sorted(found) for rel, src in _pwa_sources() if (found := _restated(src, roles))
    }
    assert restated == {}


# A form names the server's bounds (data-limit="visit_address", limit: "followup_note",
# limit("pin")); a number of its own in maxlength, minlength, min or max restates one.
LIMIT_NAMES = re.compile(
    r"""data-limit="(\w+)"|\blimit: ["'](\w+)["']"""
    r"""|(?:limit|limitField|inRange|fitsLength)\((?:[^;\n]*?, )?["'](\w+)["']\)"""
)
OWN_BOUND = re.compile(r"""\b(?:maxlength|minlength|min|max)\s*[=:]\s*["']?\d""", re.I)


def test_every_bound_of_a_form_is_the_servers():
    """Every limit name the PWA uses is one the server publishes, every published one is used
    by some form, and no form holds a length or range of its own."""
    published = set(vocabulary()["limits"])
    used, own = set(), {}
    for relative, source in _pwa_sources():
        source = re.sub(r"<progress[^>]*>", "", source)  # a progress bar's scale is no rule
        used |= {name for m in LIMIT_NAMES.finditer(source) for name in m.groups() if name}
        if found := OWN_BOUND.findall(source):
            own[relative] = found
    assert own == {}
    assert used - published == set(), "names the server does not publish"
    assert published - used == set(), "limits no form holds to"


def test_the_api_checks_the_published_limits(client, clients):
    """The bounds the PWA is given are the ones the API enforces: the maximum is taken, one
    past it is a 4xx with a message, for a text and for a number."""
    limits = vocabulary()["limits"]
    longest = "x" * limits["message"][1]
    answer = clients["sanne"].post("/api/messages", json={"team_id": 1, "text": longest})
    assert answer.status_code in (200, 201), answer.get_json()
    too_long = longest + "x"
    answer = clients["sanne"].post("/api/messages", json={"team_id": 1, "text": too_long})
    assert answer.status_code == 422 and answer.get_json()["error"]
    visit = {"kind": "visit", "address": "Dorpsstraat 1", "checklist_id": 1, "answers": {}}
    visit["expected_minutes"] = limits["visit_minutes"][1] + 1
    answer = clients["sanne"].post("/api/visits", json=visit)
    assert answer.status_code == 422 and "expected_minutes" in answer.get_json()["fields"]
