"""The admin is Tierwise's: its name, the site's icon, and the way back to the site."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admin_carries_the_tierwise_name_and_icon(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("admin:index")).content.decode()
    assert "<title>Content, people and practice | Tierwise admin</title>" in html
    assert ">Tierwise administration</a>" in html
    assert 'rel="icon" href="/static/img/favicon.svg"' in html
    assert 'href="/">View site</a>' in html


def test_the_admin_login_page_carries_the_icon_too(client):
    html = client.get(reverse("admin:login")).content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in html
    assert "Tierwise administration" in html
