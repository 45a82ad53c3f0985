"""Live-server fixtures: the loopback push service."""

import pytest

from tests.live.pushservice import PushService


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.release.set()  # let hung requests finish
    service.close()
