"""Web Push against a loopback push service that does what a browser's push service and
the browser do: check the VAPID signature, read Urgency and TTL, decrypt the payload."""

import time

from tests.live.pushservice import BrowserSubscription, verify_vapid


def test_push_is_encrypted_signed_and_dead_subscriptions_are_pruned(live_server, push_service):
    url = live_server.url
    worker, colleague = live_server.session("mohammed"), live_server.session("anouk")
    server_key = worker.get(f"{url}/api/push/key").json()["public_key"]
    browser = BrowserSubscription(f"{push_service.origin}/push/mohammed-phone")
    assert worker.post(f"{url}/api/push/subscriptions", json=browser.to_json()).status_code == 201
    team = colleague.get(f"{url}/api/me").json()["team"]["id"]

    # mohammed has no websocket open: a team message reaches his phone by push
    sent = colleague.post(f"{url}/api/messages", json={"team_id": team, "text": "Overleg 15:00"})
    assert sent.status_code == 201
    (push,) = push_service.wait_for(1)
    assert push["headers"]["content-encoding"] == "aes128gcm"
    assert push["headers"]["urgency"] == "normal" and push["headers"]["ttl"] == "900"
    verify_vapid(push["headers"]["authorization"], server_key, push_service.origin)
    payload = browser.decrypt(push["body"])
    assert (payload["id"], payload["title"], payload["body"]) == (
        sent.json()["event"]["id"],
        "Bericht van Anouk Visser",
        "Overleg 15:00",
    )

    # the device test travels like an alarm: high urgency
    assert worker.post(f"{url}/api/push/test", json={}).status_code == 202
    test_push = push_service.wait_for(2)[1]
    assert test_push["headers"]["urgency"] == "high"
    assert browser.decrypt(test_push["body"])["title"] == "Testmelding"
    devices = worker.get(f"{url}/api/push/subscriptions").json()["subscriptions"]
    assert len(devices) == 1 and devices[0]["last_success_at"]

    # the push service says the subscription is gone: the server forgets it
    push_service.status["/push/mohammed-phone"] = 410
    colleague.post(f"{url}/api/messages", json={"team_id": team, "text": "Nog een"})
    push_service.wait_for(3)
    deadline = time.monotonic() + 5
    while worker.get(f"{url}/api/push/subscriptions").json()["subscriptions"]:
        assert time.monotonic() < deadline, "410 did not remove the subscription"
        time.sleep(0.05)
