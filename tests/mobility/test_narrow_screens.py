"""On a phone (390 px), the mobility overview and the project overview keep the page
narrow: each table scrolls sideways in its own box, as the participant list's does."""

import re

import pytest

from .test_projects import coopterr  # noqa: F401 (fixture)
from .test_workspace_pages import delegations  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def tables_outside_a_scrolling_box(html: str) -> int:
    tables = len(re.findall(r"<table\b", html))
    boxed = len(re.findall(r'<div class="table-scroll"[^>]*>\s*<table\b', html))
    assert tables
    return tables - boxed


def test_the_mobility_overview_tables_scroll_sideways(client, delegations):  # noqa: F811
    client.force_login(delegations.organiser)
    html = client.get(f"/en/workspace/{delegations.slug}/mobility/").content.decode()
    assert tables_outside_a_scrolling_box(html) == 0


def test_the_project_overview_tables_scroll_sideways(client, coopterr):  # noqa: F811
    client.force_login(coopterr.coordinator)
    html = client.get("/en/projects/coopterr/overview/").content.decode()
    assert tables_outside_a_scrolling_box(html) == 0
