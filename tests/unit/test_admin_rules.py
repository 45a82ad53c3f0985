"""The rules of the organisation's chain of managers, on a small organisation made here: no
loops, a manager holds the manager role and is active, only managers lead teams, someone who
still manages people keeps the role, one administrator stays, and what a leaver hands on."""

from dataclasses import replace

from services.admin.rules import Person, Staff

TEAMS = {1: "Wijkteam", 2: "Handhaving"}


def person(username: str, role: str = "medewerker", **fields) -> Person:
    return Person(username=username, name=username.capitalize(), role=role, **fields)


def organisation(*extra: Person) -> Staff:
    """loco <- secretaris <- eva (leads team 1) <- ann, bob (team 1); beheer on their own."""
    people = [
        person("loco", "leidinggevende"),
        person("secretaris", "leidinggevende", manager="loco"),
        person("eva", "leidinggevende", manager="secretaris", team_id=1, leads=frozenset({1})),
        person("ann", manager="eva", team_id=1),
        person("bob", manager="eva", team_id=1),
        person("beheer", "beheerder"),
        *extra,
    ]
    return Staff(people={p.username: p for p in people}, teams=dict(TEAMS))


def problems(staff: Staff, *touched: str) -> list[tuple[str, str, str]]:
    return [(p.username, p.field, str(p.text)) for p in staff.problems(set(touched))]


def change(staff: Staff, username: str, **fields) -> Staff:
    staff.put(replace(staff.people[username], **fields))
    return staff


def test_the_organisation_as_made_is_sound():
    staff = organisation()
    assert problems(staff, *staff.people) == []


def test_a_chain_that_comes_back_to_where_it_started_is_refused_with_its_names():
    staff = change(organisation(), "loco", manager="eva")
    assert problems(staff, "loco") == [
        (
            "loco",
            "manager",
            "Dat maakt een kring in de lijn van leidinggevenden: Loco → Eva → Secretaris → Loco.",
        )
    ]
    staff = change(organisation(), "eva", manager="eva")
    assert problems(staff, "eva") == [
        ("eva", "manager", "Iemand kan niet zijn of haar eigen leidinggevende zijn.")
    ]


def test_a_loop_above_someone_is_not_theirs_to_answer_for():
    staff = change(organisation(), "loco", manager="secretaris")
    assert staff.loop_from("ann") == []
    assert staff.loop_from("loco") == ["loco", "secretaris", "loco"]


def test_a_manager_must_hold_the_manager_role_and_be_active():
    staff = change(organisation(), "bob", manager="ann")
    assert problems(staff, "bob") == [
        (
            "bob",
            "manager",
            "Ann is geen leidinggevende: alleen iemand met de rol leidinggevende kan dat zijn.",
        )
    ]
    staff = change(organisation(person("coordinator", "coordinator")), "bob", manager="coordinator")
    assert problems(staff, "bob")[0][1] == "manager"
    staff = change(
        organisation(person("old", "leidinggevende", active=False)), "bob", manager="old"
    )
    assert problems(staff, "bob") == [
        ("bob", "manager", "Old is niet actief en kan geen leidinggevende zijn.")
    ]
    staff = change(organisation(), "bob", manager="nobody")
    assert problems(staff, "bob") == [("bob", "manager", "Onbekende leidinggevende: nobody.")]


def test_only_a_manager_leads_a_team_and_keeps_the_role_while_managing_people():
    staff = change(organisation(), "ann", leads=frozenset({2}))
    assert problems(staff, "ann") == [
        ("ann", "leads", "Alleen een leidinggevende kan een team leiden.")
    ]
    staff = change(organisation(), "eva", role="medewerker", leads=frozenset())
    assert problems(staff, "eva") == [
        (
            "eva",
            "role",
            "Eva is leidinggevende van anderen (2): geef hen eerst een andere leidinggevende.",
        )
    ]
    staff = change(organisation(), "ann", team_id=9)
    assert problems(staff, "ann") == [("ann", "team_id", "Onbekend team.")]


def test_the_last_active_administrator_stays_one():
    staff = change(organisation(), "beheer", role="medewerker")
    assert problems(staff, "beheer") == [
        ("beheer", "role", "Er moet een actieve beheerder blijven.")
    ]
    staff = change(organisation(person("tweede", "beheerder")), "beheer", role="medewerker")
    assert problems(staff, "beheer") == []


def test_an_email_address_belongs_to_one_person():
    staff = change(organisation(), "ann", email="team@demodorp.example")
    staff = change(staff, "bob", email="TEAM@demodorp.example")
    found = staff.problems({"bob"})
    assert [(p.field, str(p.text), p.conflict) for p in found] == [
        ("email", "Dit e-mailadres is al van Ann.", True)
    ]


def test_a_leaver_hands_their_people_and_teams_to_the_nearest_active_manager_above():
    staff = organisation()
    moved = staff.leave("eva")
    assert moved == {"secretaris", "ann", "bob"}
    assert staff.people["ann"].manager == staff.people["bob"].manager == "secretaris"
    assert staff.people["secretaris"].leads == {1}
    eva = staff.people["eva"]
    assert (eva.active, eva.on_duty, eva.leads, eva.manager) == (False, False, set(), "secretaris")
    assert problems(staff, *moved, "eva") == []
    assert {after.username for _, after in staff.changed()} == {"eva", "secretaris", "ann", "bob"}


def test_a_leaver_skips_inactive_managers_and_needs_someone_above_to_take_over():
    staff = change(organisation(), "secretaris", active=False)
    assert staff.successor("eva").username == "loco"
    staff = organisation()
    assert staff.leave("ann") == set()  # nobody to hand on
    assert problems(staff, "ann") == []
    lonely = organisation(person("top", "leidinggevende"), person("cleo", manager="top"))
    lonely.leave("top")
    assert problems(lonely, "top") == [
        (
            "top",
            "active",
            "Niemand boven Top kan de medewerkers en teams overnemen: geef eerst een "
            "leidinggevende op.",
        )
    ]


def test_a_new_leader_can_take_the_members_of_her_teams_but_not_their_other_leaders():
    staff = organisation(person("lisa", "leidinggevende", manager="secretaris", team_id=1))
    staff.put(person("nina", "leidinggevende", manager="secretaris", leads=frozenset({1})))
    assert staff.adopt_members("nina") == {"ann", "bob"}
    assert staff.people["lisa"].manager == "secretaris"


def test_a_new_username_keeps_the_people_it_manages():
    staff = organisation()
    staff.rename("eva", "eva.jansen")
    assert staff.people["ann"].manager == "eva.jansen"
    assert [(b.username, a.username) for b, a in staff.changed()] == [("eva", "eva.jansen")]
