"""A flood of wrong passwords for one colleague (the loco-gemeentesecretaris), sent as an
attacker would (all at once, from one address), on the real server: the colleague, at another
address with her password, gets in within a few seconds and is told of the attempts."""

import http.client
import json
import time
from concurrent.futures import ThreadPoolExecutor

from tests.conftest import DEMO_PASSWORD

ATTACKER, OWNER = "127.0.0.2", "127.0.0.3"  # loopback answers from any 127/8 address


def log_in(server, address: str, password: str) -> tuple[int, dict, float]:
    port = int(server.url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(address, 0)
    )
    body = json.dumps({"username": "loco", "password": password})
    start = time.monotonic()
    try:
        connection.request("POST", "/api/auth/login", body, {"Content-Type": "application/json"})
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read()), time.monotonic() - start
    finally:
        connection.close()


def test_fifty_wrong_passwords_at_once_do_not_keep_the_owner_out(live_server):
    with ThreadPoolExecutor(max_workers=50) as pool:
        guesses = list(pool.map(lambda n: log_in(live_server, ATTACKER, f"raden-{n}"), range(50)))
    assert {status for status, _, _ in guesses} == {401}
    status, answer, took = log_in(live_server, OWNER, DEMO_PASSWORD)
    assert status == 200, answer
    assert took < 4  # the account's wait is at most 3 s, and nothing locked it
    assert answer["failed_attempts"]["count"] == 50
