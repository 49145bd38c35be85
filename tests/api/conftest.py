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
