"""Numbers and dates at the edge: an id the database cannot hold is not found, a date no
register means is refused — never a 500."""

from datetime import UTC, datetime

import pytest

from services.clock import local_date
from tests.api.test_incidents_api import body, capture

HUGE = str(2**70)


@pytest.mark.parametrize(
    "path",
    [
        f"/api/incidents/{HUGE}",
        f"/api/incidents/{HUGE}/followup",
        f"/api/alarms/{HUGE}",
        f"/api/incidents/1/letters/{HUGE}.pdf",
    ],
)
def test_ids_beyond_the_database_are_not_found(clients, path):
    assert clients["lisa"].get(path).status_code == 404


@pytest.mark.parametrize(
    "query,field",
    [
        (f"team={HUGE}", "team"),
        (f"before={HUGE}", "before"),
        ("to=9999-12-31", "to"),
        ("from=0001-01-01", "from"),
    ],
)
def test_register_filters_out_of_range_are_422(clients, query, field):
    answer = clients["lisa"].get(f"/api/incidents?{query}")
    assert answer.status_code == 422 and field in answer.get_json()["fields"]


def test_a_client_reference_fits_the_register_and_signs_are_not_repeated(clients):
    too_long = clients["sanne"].post(
        "/api/incidents",
        json=body(client_id="limits-client-ref-1", aggressor={"client_ref": "K" * 51}),
    )
    assert too_long.status_code == 422 and "aggressor.client_ref" in too_long.get_json()["fields"]
    incident = capture(clients["sanne"])
    twice = clients["lisa"].put(
        f"/api/incidents/{incident['id']}/aftercare/second_talk",
        json={
            "done_on": local_date(datetime.now(UTC)).isoformat(),
            "signs": ["cynisme", "cynisme"],
        },
    )
    assert twice.status_code == 422 and "signs" in twice.get_json()["fields"]
