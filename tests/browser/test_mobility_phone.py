"""The organisers' mobility overview and the project overview on a phone (390 px): the
page keeps the phone's width, the tables scroll sideways in their own box."""

from ..mobility.conftest import timisoara  # noqa: F401 (fixture)
from ..mobility.test_projects import coopterr  # noqa: F401 (fixture)
from ..mobility.test_workspace_pages import delegations  # noqa: F401 (fixture)
from .conftest import PHONE, log_in, visit


def test_the_mobility_overviews_fit_a_phone(open_page, site, delegations, coopterr):  # noqa: F811
    phone = open_page(PHONE)
    log_in(phone, site, delegations.organiser)
    visit(phone, f"{site}/en/workspace/{delegations.slug}/mobility/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    coopterr.coordinators.add(delegations.organiser)
    visit(phone, f"{site}/en/projects/coopterr/overview/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
