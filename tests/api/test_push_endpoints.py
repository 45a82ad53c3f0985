"""A push subscription is where the server will post: only to a known push service over https
(no loopback, private or link-local address, no user name, no odd port), and never an endpoint
another account already has (issue 16: a subscription to https://127.0.0.1:<port>/x made the
server connect there; knowing a colleague's endpoint was enough to take their pushes)."""

import pytest
from sqlalchemy import select

from app import create_app
from services.push.models import PushSubscription
from tests.conftest import app_config, login, runtime_of, user_id

P256DH = "B" + "A" * 86  # 65 bytes, base64url
OTHER_P256DH = "B" + "Q" * 86
AUTH = "A" * 22  # 16 bytes
OTHER_AUTH = "Q" * 22

FCM = "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91bHPRgkF3JUikC4ENAHEeMrd41Zxv3hVZjC9K"


def subscription(endpoint: str, p256dh: str = P256DH, auth: str = AUTH) -> dict:
    return {"endpoint": endpoint, "expirationTime": None, "keys": {"p256dh": p256dh, "auth": auth}}


def stored(app, endpoint: str) -> PushSubscription | None:
    with runtime_of(app).db.reader() as uow:
        found = uow.session.scalar(
            select(PushSubscription).where(PushSubscription.endpoint == endpoint)
        )
        if found is not None:
            uow.session.expunge(found)
        return found


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://127.0.0.1:8443/x",  # loopback
        "https://127.0.0.1/x",
        "https://[::1]/x",
        "https://localhost/x",
        "https://10.0.0.5/push",  # private
        "https://192.168.1.10/push",
        "https://172.16.0.1/push",
        "https://[fd00::1]/push",
        "https://169.254.169.254/latest/meta-data/",  # link-local: the cloud metadata service
        "https://[fe80::1]/push",
        "https://8.8.8.8/push",  # any IP address: a push service has a name
        "http://fcm.googleapis.com/fcm/send/abc",  # not https
        "ftp://fcm.googleapis.com/fcm/send/abc",
        "https://push.example.com/x",  # not a push service
        "https://fcm.googleapis.com.evil.example/x",
        "https://evilfcm.googleapis.com/x",
        "https://push.apple.com/x",  # *.push.apple.com is below it, not it
        "https://user:secret@fcm.googleapis.com/fcm/send/abc",  # user info
        "https://fcm.googleapis.com@127.0.0.1/x",
        "https://fcm.googleapis.com:8443/fcm/send/abc",  # odd port
        "https://fcm.googleapis.com:80/fcm/send/abc",
        "https://fcm.googleapis.com./fcm/send/abc",
    ],
)
def test_an_endpoint_outside_the_known_push_services_is_refused(app, clients, endpoint):
    response = clients["lisa"].post("/api/push/subscriptions", json=subscription(endpoint))
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert "endpoint" in body["fields"]
    assert body["error"].startswith("Het push-adres (endpoint) wordt niet aanvaard")
    assert stored(app, endpoint) is None


@pytest.mark.parametrize(
    "endpoint",
    [
        FCM,  # Chrome, Edge on Android, Samsung Internet, Opera
        "https://fcm.googleapis.com:443/fcm/send/cYwW3pOqB0c:APA91bGv",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABmXyZ0aBcDeFgHiJkLmNoPqRsTuVwX",
        "https://web.push.apple.com/QGuQyavXutnMH2mDCxTRqQqFe5YxY4YfMKdpWrVWs0oYp-dg8Cw",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAADq0zu3a3sT8vO9mP8dQKdT%2bQ",
    ],
)
def test_the_browsers_push_services_are_accepted(app, clients, endpoint):
    response = clients["lisa"].post("/api/push/subscriptions", json=subscription(endpoint))
    assert response.status_code == 201, response.get_json()
    assert stored(app, endpoint).user_id == user_id(app, "lisa")


def test_an_endpoint_of_another_account_is_refused_and_stays_theirs(app, clients):
    assert (
        clients["lisa"].post("/api/push/subscriptions", json=subscription(FCM)).status_code == 201
    )
    before = stored(app, FCM)

    taken = clients["kim"].post(
        "/api/push/subscriptions", json=subscription(FCM, OTHER_P256DH, OTHER_AUTH)
    )
    assert taken.status_code == 409
    assert "endpoint" in taken.get_json()["fields"]
    after = stored(app, FCM)
    assert (after.id, after.user_id, after.p256dh, after.auth, after.user_agent) == (
        before.id,
        user_id(app, "lisa"),
        P256DH,
        AUTH,
        before.user_agent,
    )
    assert len(clients["lisa"].get("/api/push/subscriptions").get_json()["subscriptions"]) == 1
    assert clients["kim"].get("/api/push/subscriptions").get_json()["subscriptions"] == []
    # nor can Kim remove it
    assert (
        clients["kim"].delete("/api/push/subscriptions", json={"endpoint": FCM}).status_code == 404
    )
    assert stored(app, FCM).user_id == user_id(app, "lisa")


def test_the_owner_registering_again_with_new_keys_refreshes_it(app, clients):
    first = clients["lisa"].post("/api/push/subscriptions", json=subscription(FCM))
    again = clients["lisa"].post(
        "/api/push/subscriptions", json=subscription(FCM, OTHER_P256DH, OTHER_AUTH)
    )
    assert again.status_code == 201 and again.get_json()["id"] == first.get_json()["id"]
    refreshed = stored(app, FCM)
    assert (refreshed.p256dh, refreshed.auth) == (OTHER_P256DH, OTHER_AUTH)


def test_a_phone_handed_over_after_a_logout_registers_for_the_next_person(app, clients):
    """The app forgets its subscription when its user logs out: the endpoint is free again."""
    assert (
        clients["lisa"].post("/api/push/subscriptions", json=subscription(FCM)).status_code == 201
    )
    assert (
        clients["lisa"].delete("/api/push/subscriptions", json={"endpoint": FCM}).status_code == 204
    )
    assert clients["lisa"].post("/api/auth/logout", json={}).status_code == 204
    assert clients["kim"].post("/api/push/subscriptions", json=subscription(FCM)).status_code == 201
    assert stored(app, FCM).user_id == user_id(app, "kim")


def test_the_allow_list_is_configuration(instance, db_url, backend, push_transport):
    """VELDWACHT_PUSH_HOSTS replaces the defaults: FCM is then refused too."""
    app = create_app(
        app_config(
            instance,
            db_url,
            backend,
            PUSH_TRANSPORT=push_transport,
            PUSH_HOSTS=("push.example.org", "*.push.example.net"),
        )
    )
    try:
        client = app.test_client()
        login(client, "lisa")
        for endpoint, status in [
            ("https://push.example.org/a", 201),
            ("https://eu.push.example.net/b", 201),
            ("https://push.example.net/c", 422),
            (FCM, 422),
        ]:
            response = client.post("/api/push/subscriptions", json=subscription(endpoint))
            assert response.status_code == status, endpoint
    finally:
        runtime_of(app).close()


def test_the_tests_loopback_push_service_needs_the_test_only_flag(
    instance, db_url, backend, push_transport
):
    """VELDWACHT_PUSH_ALLOW_HTTP (tests only) lets http and loopback through, nothing more."""
    app = create_app(
        app_config(instance, db_url, backend, PUSH_TRANSPORT=push_transport, PUSH_ALLOW_HTTP=True)
    )
    try:
        client = app.test_client()
        login(client, "lisa")
        for endpoint, status in [
            ("http://127.0.0.1:8123/push/lisa", 201),
            ("http://localhost:8123/push/lisa-2", 201),
            ("http://10.0.0.5/push", 422),
            ("https://169.254.169.254/latest/meta-data/", 422),
            ("http://fcm.googleapis.com/fcm/send/abc", 422),
        ]:
            response = client.post("/api/push/subscriptions", json=subscription(endpoint))
            assert response.status_code == status, endpoint
    finally:
        runtime_of(app).close()
