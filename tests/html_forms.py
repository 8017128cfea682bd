"""Read a page's form as a browser would submit it, to post it back unchanged."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
            elif kind not in ("submit", "button"):
                self._add(name, attrs.get("value", ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # A browser drops the one line break that follows <textarea>.
            value = self.values[self._textarea][-1]
            self.values[self._textarea][-1] = value.removeprefix("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data


def form_values(html: str) -> dict[str, list[str]]:
    """Every field's value as the page shows it (what a browser posts when nothing is
    changed), the CSRF token included."""
    reader = _FormReader()
    reader.feed(html)
    return reader.values
