import collections

import pytest
from rest_framework.test import APIClient

from onewindow.models import ApiToken


def token_for(user, **kwargs) -> str:
    _, key = ApiToken.objects.create_key(name=f"тест {user.username}", user=user, **kwargs)
    return key


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def api_as():
    """api_as(user) -> an APIClient calling with a fresh token of that user."""

    def make(user, **kwargs):
        return client_with(token_for(user, **kwargs))

    return make


CONTRACT_CASES: collections.Counter[str] = collections.Counter()


def pytest_terminal_summary(terminalreporter):
    if CONTRACT_CASES:
        per_role = ", ".join(f"{role}: {n}" for role, n in sorted(CONTRACT_CASES.items()))
        terminalreporter.write_line(
            f"schemathesis: {sum(CONTRACT_CASES.values())} сгенерированных запросов ({per_role})"
        )
