#!/usr/bin/env python3
"""Read an event's programme through the Rencontres API, with Python's standard library.

    python3 docs/api_example.py https://rencontres.example.org saint-etienne-2026 --lang pt

Without an event, it lists the network's upcoming events. With one, it prints its
programme and the resources its organisers published (slides, reports, photos, links),
with the addresses to download them. With ``--token`` (an API token
created in the workspace, Workspace > API tokens, with the scope ``registrations:read``)
it also counts the event's registrations that the token's owner may see. The API is
described at ``<site>/api/docs/`` (OpenAPI schema: ``<site>/api/schema/``).

``--lang`` chooses the language of the site's texts (titles, rooms, resources); the
script's own words ("places left", "Resources"...) stay in English. When the site
refuses (an unknown event, a refused token, too many requests), it says so in one line
and exits with status 1.
"""

import argparse
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

LANGUAGES = ("en", "fr", "ro", "hu", "pt", "it")


class Refused(Exception):
    """What went wrong, in one line for the person running the script."""


def _detail(error: urllib.error.HTTPError) -> str:
    """The API's own explanation (``{"detail": ...}``), if it sent one."""
    try:
        body = json.load(error)
    except (ValueError, OSError):
        return ""
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return body["detail"]
    return ""


def get(site: str, path: str, *, lang: str, token: str = "", **query) -> dict:
    url = f"{site.rstrip('/')}{path}?{urllib.parse.urlencode({'lang': lang, **query})}"
    if not url.startswith(("https://", "http://")):
        raise Refused(f"not a web address: {site}")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (http(s))
            return json.load(response)
    except urllib.error.HTTPError as error:
        detail = _detail(error)
        if error.code == 429:
            wait = error.headers.get("Retry-After", "")
            later = f"in {wait} seconds" if wait.isdigit() else "later"
            raise Refused(f"too many requests: try again {later} (429)") from None
        if error.code == 401:
            raise Refused(f"the API token was refused: {detail or 'not valid'} (401)") from None
        if error.code == 403:
            raise Refused(
                "the API token may not read this (it needs the scope registrations:read) (403)"
            ) from None
        if error.code == 404:
            what = detail or "not found"
            raise Refused(f"{path}: {what} (it may not be yours to read) (404)") from None
        raise Refused(f"{path}: {detail or error.reason} ({error.code})") from None
    except urllib.error.URLError as error:
        raise Refused(f"cannot reach {site}: {error.reason}") from None
    except ValueError:
        raise Refused(f"{url}: the answer is not the API's JSON") from None


def pages(site: str, path: str, *, lang: str, token: str = "", **query):
    """Every result of a paginated list, page after page."""
    page = 1
    while True:
        body = get(site, path, lang=lang, token=token, page=page, **query)
        yield from body["results"]
        if not body["next"]:
            return
        page += 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", help="the Rencontres site, e.g. https://rencontres.example.org")
    parser.add_argument("event", nargs="?", help="an event's slug (its page's address)")
    parser.add_argument(
        "--lang",
        default="en",
        choices=LANGUAGES,
        help="the language of the site's texts (the script's own words stay in English)",
    )
    parser.add_argument("--token", default="", help="an API token (registrations:read)")
    args = parser.parse_args(argv)
    try:
        return _show(args)
    except Refused as refused:
        print(f"api_example.py: {refused}", file=sys.stderr)
        return 1


def _show(args) -> int:
    if not args.event:
        for event in pages(args.site, "/api/v1/events/", lang=args.lang):
            print(f"{event['starts_at'][:10]}  {event['slug']}  {event['title']}")
        return 0
    event = get(args.site, f"/api/v1/events/{args.event}/", lang=args.lang)
    print(f"{event['title']} ({event['city']}, {event['country']})")
    for day in event["programme"]:
        print(f"\n{day['date']}")
        for item in day["items"]:
            time = item["starts_at"][11:16]
            where = f" [{item['room']}]" if item["room"] else ""
            speakers = ", ".join(speaker["name"] for speaker in item["speakers"])
            places = ""
            if item["places_left"] is not None:
                places = f" ({item['places_left']} places left)"
            print(f"  {time} {item['title']}{where}{places}")
            if speakers:
                print(f"        {speakers}")
    resources = list(pages(args.site, f"/api/v1/events/{args.event}/resources/", lang=args.lang))
    if resources:
        print("\nResources")
        for resource in resources:
            where = f" ({resource['item']['title']})" if resource["item"] else ""
            print(f"  [{resource['kind']}] {resource['title']}{where}")
            print(f"        {resource['url']}")
    if args.token:
        people = list(
            pages(
                args.site,
                f"/api/v1/events/{args.event}/registrations/",
                lang=args.lang,
                token=args.token,
            )
        )
        confirmed = sum(1 for person in people if person["status"] == "confirmed")
        print(f"\nRegistrations you may see: {len(people)} ({confirmed} confirmed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
