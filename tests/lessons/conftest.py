from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def content(db):
    """The real course content from lessons/content/, loaded as `make run` loads it."""
    call_command("load_content", stdout=StringIO())


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client
