from datetime import UTC, datetime

import pytest
import time_machine

from tests.factories import AdminFactory, AEFactory, ManagerFactory, TeamFactory


@pytest.fixture
def team(db):
    return TeamFactory(name="Test Team")


@pytest.fixture
def manager(team):
    return team.manager


@pytest.fixture
def ae(team):
    return AEFactory(team=team, username="ae-one")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Other Team", manager=ManagerFactory(username="other-manager"))


@pytest.fixture
def other_ae(other_team):
    return AEFactory(team=other_team, username="ae-other")


@pytest.fixture
def admin_user(db):
    return AdminFactory(username="admin-user")


@pytest.fixture
def field_guide(db):
    """The field guide's ten rows in the database, as load_content writes them."""
    from lessons.models import FieldGuideEntry
    from lessons.services import bump_content_version
    from tests.factories import repository_field_guide

    rows = [FieldGuideEntry.objects.create(**row) for row in repository_field_guide()]
    bump_content_version()  # as the loader does: the scorer retrains on the new guide
    return rows


@pytest.fixture
def ae_client(client, ae):
    client.force_login(ae)
    return client


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


# --- Rate-limit counters and cached pages live in the caches; every test starts from zero ---
@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    for cache in caches.all(initialized_only=False):
        cache.clear()
    yield
    for cache in caches.all(initialized_only=True):
        cache.clear()


# --- A stopped clock for tests that count requests within a time window -------------------------
# django-ratelimit counts in windows that end at fixed times of the clock (offset per key): a
# test that counted with a running clock could see its counter restart half-way through and
# pass or fail by the time of day. Stopped one second before a minute boundary (where a running
# clock would do the most harm), every request of the test falls in one window.
FROZEN_AT = datetime(2026, 11, 28, 9, 59, 59, tzinfo=UTC)


@pytest.fixture
def frozen_clock():
    with time_machine.travel(FROZEN_AT, tick=False) as traveller:
        yield traveller
