"""The API against its live schema (schemathesis): every operation, called with a token of every
role, with data generated from the schema — no server error, no answer the schema does not
describe (body, content type). The number of generated cases is printed at the end of the run."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from onewindow.wsgi import application
from tests.api.conftest import CONTRACT_CASES, token_for
from tests.factories import ApplicantFactory, ApplicationFactory

ROLES = ["specialist", "chief", "archivist", "reg_admin", "director"]
EXAMPLES = 10  # per operation in the fuzzing phase (besides the examples and coverage phases)
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]

# the schema as the application serves it at /api/schema/
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def tokens(request, settings, tmp_path, catalogue):
    """A token of every role, and a few records for generated ids to meet (most meet nothing)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # the WSGI handler closes the connection after each request, as in production; the test's
    # transaction lives on it, so it stays open (as Django's own test client does)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request.addfinalizer(lambda: request_started.connect(close_old_connections))
    request.addfinalizer(lambda: request_finished.connect(close_old_connections))
    users = {role: request.getfixturevalue(role) for role in ROLES}
    for _ in range(2):
        ApplicationFactory(
            actor=users["specialist"],
            applicant=ApplicantFactory(office=users["specialist"].office, snils=""),
        )
    return {role: token_for(user) for role, user in users.items()}


@pytest.mark.contract
@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
def test_every_operation_keeps_its_contract(case, tokens):
    # the roles take turns: every operation meets every role's token many times over
    role = ROLES[sum(CONTRACT_CASES.values()) % len(ROLES)]
    CONTRACT_CASES[role] += 1
    case.call_and_validate(headers={"Authorization": f"Token {tokens[role]}"}, checks=CHECKS)
