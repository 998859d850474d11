"""Statement text is shown as text: never as a Markdown link or image, HTML, LaTeX or emphasis.

Store names, artists, titles, territories, file names and quoted cells come from distributors'
files. Streamlit renders Markdown in most of its elements and plotly reads a little HTML in its
labels, so every such string goes through ``formatting.markdown_text`` or
``formatting.plotly_text``. The checks here do not trust those helpers: they read the Markdown
the way CommonMark does (a backslash before ASCII punctuation makes it a plain character) and
look, in the text the renderer would see, for what it would turn into a link.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import string
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from google.protobuf.message import Message
from hostile import TERRITORIES, Hostile, bad_statement, load, statement
from streamlit.testing.v1 import AppTest
from test_app import _use_db

from royalty import analytics, charts, reports
from royalty.formatting import WORD_JOINER, markdown_text, plotly_text
from royalty.reports import rate_charts
from royalty.store import db

APP = str(Path(__file__).resolve().parent.parent / "app.py")
H = Hostile("http://127.0.0.1:8799")
PAGES = [
    "app_pages/overview.py",
    "app_pages/platforms.py",
    "app_pages/tracks.py",
    "app_pages/territories.py",
    "app_pages/unwrapped.py",
    "app_pages/splits.py",
    "app_pages/import_statements.py",
]

SPECIAL = set("\\`*_[]()!<>#|~$&:")
"""What must never reach the renderer unescaped inside statement text."""
LINKED_IN_TEXT = re.compile(
    r"https?://|www\.|[\w.+-]@[\w-]|:[\w+-]+:|(?:^|\s)(?:<->|->|<-|--|>=|<=|~=)(?:\s|$)",
    re.IGNORECASE,
)
"""What Streamlit's renderer finds in the text after the escapes are undone: bare URLs and
e-mail addresses (made links), ``:emoji:`` shortcodes, arrows and dashes."""
BLOCK_START = re.compile(r"(?:\s*(?:[-+*]|\d{1,9}[.)])\s+)*\s*")
"""A line's start, maybe after list markers: text there can open a list of its own."""

HOSTILE = [
    H.image,
    H.link,
    H.tag,
    H.autolink,
    H.bare,
    H.bold,
    H.latex,
    "<img src=x onerror=alert(1)>",
    "<a href='http://127.0.0.1:8799/a'>a</a>",
    "[ref]\n\n[ref]: http://127.0.0.1:8799/ref",
    "$$x^2$$ and \\(x\\) and $x$",
    "`code` and ``more``",
    "<http://x> <mailto:me@example.org> me@example.org www.example.org http://example.org",
    "https://example.org/path?q=1&r=2#frag",
    "# heading",
    "> quote",
    "- item",
    "+ item",
    "* item",
    "1. item",
    "12) item",
    "Title\n===",
    "Title\n---",
    "    indented code",
    "line one\n\n    code after a blank line",
    "a | b | c\n--- | --- | ---",
    "~~strike~~ ~one~",
    "_em_ __strong__ ***both***",
    ":red[red] :blue-background[blue] :material/home: :smile: :+1: :streamlit:",
    "a -> b <- c <-> d -- e >= f <= g ~= h",
    "&lt;img src=x&gt; &amp; &#60;b&#62; &copy;",
    "\\![b](http://127.0.0.1:8799/x.png) \\\\[c](http://127.0.0.1:8799/c)",
    "trailing backslash \\",
    "tab\tand\r\ncarriage\rreturn\u2028line\u2029para\x85next\x0bvt\x0cff",
    "{attrs} :::note\ncontent\n:::",
    "<!-- comment --> <?pi?> <!DOCTYPE x> <![CDATA[x]]>",
    "Jay-Z & Beyoncé — “Déjà vu” (Live) 100% [Remastered]",
]


def _decoded(src: str) -> list[tuple[str, bool]]:
    """The characters the renderer sees, each with whether a backslash made it plain text."""
    out, i = [], 0
    while i < len(src):
        if src[i] == "\\" and i + 1 < len(src) and src[i + 1] in string.punctuation:
            out.append((src[i + 1], True))
            i += 2
        else:
            out.append((src[i], False))
            i += 1
    return out


def _shown(src: str) -> str:
    """The text a person reads (the invisible word joiners left out)."""
    return "".join(c for c, _ in _decoded(src)).replace(WORD_JOINER, "")


def _problems(src: str, text: str) -> list[str]:
    """Where the Markdown ``src`` would render statement ``text`` as anything but text."""
    chars = _decoded(src)
    visible = [k for k, (c, _) in enumerate(chars) if c != WORD_JOINER]
    shown = "".join(chars[k][0] for k in visible)
    wanted = " ".join(text.split())
    found: list[str] = []
    if not wanted:
        return found
    for match in re.finditer(re.escape(wanted), shown):
        first, last = visible[match.start()], visible[match.end() - 1]
        region = chars[first : last + 1]
        raw = sorted({c for c, escaped in region if c in SPECIAL and not escaped})
        if raw:
            found.append(f"unescaped {''.join(raw)!r} in {wanted!r}")
        linked = LINKED_IN_TEXT.search("".join(c for c, _ in region))
        if linked:
            found.append(f"{linked.group()!r} would be rendered in {wanted!r}")
        before = shown[: match.start()].rpartition("\n")[2]
        if BLOCK_START.fullmatch(before):  # where a list item or a heading underline begins
            lead = [chars[k] for k in visible[match.start() : match.end()]]
            digits = len(wanted) - len(wanted.lstrip(string.digits))
            if lead[0][0] in "-+=" and not lead[0][1]:
                found.append(f"{wanted!r} starts a list or a heading underline")
            elif 0 < digits <= 9 and digits < len(lead) and lead[digits] in {(".", False)}:
                found.append(f"{wanted!r} starts a numbered list")
    return found


# --- the helpers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_text_shows_the_text_and_nothing_else(text: str) -> None:
    src = markdown_text(text)
    assert _shown(src) == " ".join(text.split())
    assert "\n" not in src and "\r" not in src
    assert not _problems(src, text), src
    # wherever it is put: at the start of a line, inside a list item, bold, a table cell
    for context in ("{}", "- {}", "**{}**", "x\n{}", "{} · 2024"):
        assert not _problems(context.format(src), text)


def test_markdown_text_on_random_punctuation() -> None:
    """Any mix of punctuation, letters and spaces comes out as the same text, all of it plain."""
    rng = random.Random(11)
    alphabet = string.punctuation + "ab1 \n\twww.:/@"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24)))
        src = markdown_text(text)
        assert _shown(src) == " ".join(text.split()), (text, src)
        assert not _problems(src, text), (text, src)


def test_markdown_text_leaves_ordinary_names_alone() -> None:
    for name in ["Spotify", "Apple Music", "Cold Harbor Choir", "Tin Roof Psalm", "notes.csv",
                 "Côte d'Ivoire", "Amazon Music Unlimited", "2024", "50, 25, 25"]:  # fmt: skip
        assert markdown_text(name) == name
    assert markdown_text(None) == "None"
    assert markdown_text(12) == "12"


def test_bare_urls_are_broken_by_a_word_joiner_not_by_a_visible_change() -> None:
    """Streamlit links bare URLs, www. names and e-mail addresses found in the rendered text
    (an escaped ``\\:`` is a plain ``:`` by then), so an invisible joiner splits them."""
    src = markdown_text("see http://example.org, www.example.org or me@example.org")
    assert _shown(src) == "see http://example.org, www.example.org or me@example.org"
    assert "http\\:" + WORD_JOINER + "//" in src
    assert "www" + WORD_JOINER + "." in src
    assert "me" + WORD_JOINER + "@" in src


@pytest.mark.parametrize("text", HOSTILE)
def test_plotly_text_has_no_tags_and_reads_back(text: str) -> None:
    import html

    out = plotly_text(text)
    assert "<" not in out and ">" not in out
    assert html.unescape(out) == text
    assert "&quot;" not in out  # plotly would show it as it is


# --- the charts ----------------------------------------------------------------------------------


ALLOWED_TAGS = re.compile(r"<br>|<extra>|</extra>|<b>|</b>")
"""Plotly markup the charts write themselves."""


def _figure_strings(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _figure_strings(v, f"{path}.{k}")
    elif isinstance(value, list):
        for v in value:
            yield from _figure_strings(v, path)
    elif isinstance(value, str):
        yield path, value


def _tag_problems(spec: dict) -> list[str]:
    found = []
    for path, text in _figure_strings(spec):
        if path.endswith(".hovertemplate"):
            if any(s in text for s in ["8799", "bold", "LaTeX", "LATEX"]):
                found.append(f"statement text in a hovertemplate: {text!r}")
            continue
        rest = ALLOWED_TAGS.sub("", text)
        if re.search(r"<[A-Za-z/!?]", rest):
            found.append(f"{path}: {text!r}")
    return found


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    eng = db.make_engine(f"sqlite:///{path}")
    load(eng, H)
    with eng.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()
    db.get_engine.cache_clear()
    return path


def test_every_chart_escapes_statement_text(hostile_db: Path) -> None:
    eng = db.make_engine(f"sqlite:///{hostile_db}")
    f = analytics.Filters()
    table = analytics.platform_table(eng, f, "USD", min_streams=1000)
    by_month = analytics.platform_rates_by_month(eng, f, "USD")
    places = analytics.top_territories(eng, f, "USD", limit=None)
    tracks = analytics.top_tracks(eng, f, "USD", limit=50)
    assert set(H.stores) <= set(table["platform"])
    assert set(TERRITORIES) <= set(places["name"])
    industry = pd.DataFrame(
        {"platform": list(table["platform"]), "rate": list(table["income_per_stream"]),
         "label": [H.tag] * len(table)}
    )  # fmt: skip
    figures = {
        "platform_rates_bar": charts.platform_rates_bar(table, "USD"),
        "share_streams_vs_income": charts.share_streams_vs_income(table),
        "rates_over_time": charts.rates_over_time(by_month, "USD"),
        "rates_vs_industry": charts.rates_vs_industry(table, industry, "USD"),
        "world_map": charts.world_map(places, "USD"),
        "top_tracks_bar": charts.top_tracks_bar(tracks, "USD"),
        "rates_only_bar": rate_charts.platform_rates_bar(table, "USD"),
        "rates_only_over_time": rate_charts.rates_over_time(by_month, "USD"),
    }
    shown = ""
    for name, fig in figures.items():
        spec = json.loads(fig.to_json())
        assert not _tag_problems(spec), (name, _tag_problems(spec))
        shown += " ".join(t for _, t in _figure_strings(spec))
    # the names are there, as entities plotly shows as the characters
    assert plotly_text(H.tag) in shown and H.tag not in shown
    eng.dispose()


def test_a_platform_named_like_a_placeholder_is_not_filled_in() -> None:
    frame = pd.DataFrame(
        {"platform": ["%{customdata[1]}", "<b>x</b>"], "month": [202401, 202401],
         "streams": [2000, 2000], "income_per_stream": [0.004, 0.003]}
    )  # fmt: skip
    for fig in (charts.rates_over_time(frame, "USD"), rate_charts.rates_over_time(frame, "USD")):
        templates = {trace.hovertemplate for trace in fig.data}
        assert len(templates) == 1  # the same for both: the names are in customdata
        assert "x</b>" not in templates.pop()
        names = [str(trace.customdata[0]) for trace in fig.data]
        assert any(plotly_text("<b>x</b>") in n for n in names)


def test_the_html_report_escapes_statement_text(hostile_db: Path) -> None:
    eng = db.make_engine(f"sqlite:///{hostile_db}")
    page = reports.html_report(eng, analytics.Filters(), "USD")
    for text in [H.tag, "<B>X</B>", H.autolink]:  # Markdown is plain text in HTML: tags only
        assert text not in page
    assert "<img src=http" not in page.lower()
    eng.dispose()


# --- every page of the app -----------------------------------------------------------------------


PLAIN_FIELDS = {"options", "default", "value", "raw_value", "spec", "id", "form_id", "url"}
"""Proto fields Streamlit shows as plain text (select options, values) or does not show."""


def _proto_strings(msg: Message, path: str = "") -> Iterator[tuple[str, str]]:
    for field, value in msg.ListFields():
        if field.name in PLAIN_FIELDS:
            continue
        values = value if isinstance(value, list | tuple) or _repeated(value) else [value]
        for v in values:
            if isinstance(v, Message):
                yield from _proto_strings(v, f"{path}.{field.name}")
            elif isinstance(v, str) and field.name == "columns" and v.startswith("{"):
                yield from _json_strings(json.loads(v), f"{path}.columns")
            elif isinstance(v, str):
                yield f"{path}.{field.name}", v


def _json_strings(value: object, path: str) -> Iterator[tuple[str, str]]:
    """A table's column configuration is JSON: its labels and help are Markdown, the options
    of a select column plain text (as ``PLAIN_FIELDS`` of a select box)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in PLAIN_FIELDS:
                yield from _json_strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item, path)
    elif isinstance(value, str):
        yield path, value


def _repeated(value: object) -> bool:
    return hasattr(value, "__len__") and not isinstance(value, str | bytes | Message)


def _nodes(node: object) -> Iterator[object]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def _markdown(at: AppTest) -> list[tuple[str, str]]:
    """(where, Markdown source) for everything on the page Streamlit renders as Markdown."""
    out = []
    for root in (at.main, at.sidebar):
        for node in _nodes(root):
            proto = getattr(node, "proto", None)
            if proto is not None:
                out += [(f"{type(node).__name__}{p}", s) for p, s in _proto_strings(proto)]
    return out


def _check_page(at: AppTest, page: str, seen: set[str]) -> None:
    assert not at.exception, (page, at.exception)
    for where, src in _markdown(at):
        chars = _decoded(src)
        # no page has a link, an image, HTML or a bare URL of its own: none may appear
        raw = "".join(" " if escaped else c for c, escaped in chars)
        assert not re.search(r"[\[\]]|<[A-Za-z/!?]", raw), (page, where, src)
        assert not re.search(r"https?://|www\.", "".join(c for c, _ in chars)), (page, where, src)
        for text in [*H.all, H.artist]:
            problems = _problems(src, text)
            assert not problems, (page, where, problems, src)
            if " ".join(text.split()) in _shown(src):
                seen.add(text)
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        assert not _tag_problems(spec), (page, _tag_problems(spec))


@pytest.fixture
def on_hostile(hostile_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    copy = tmp_path / "app.db"
    shutil.copy(hostile_db, copy)
    return _use_db(monkeypatch, copy, sample_on=False)


def test_every_page_shows_hostile_names_as_text(on_hostile: str) -> None:
    at = AppTest.from_file(APP, default_timeout=90).run()
    seen: set[str] = set()
    for page in PAGES:
        at.switch_page(page).run()
        _check_page(at, page, seen)

    # Unwrapped: the best and lowest payers, the what-if between two hostile stores, the
    # platforms folded into "Other", the statement file, the artist in the header
    at.switch_page("app_pages/unwrapped.py").run()
    highlights = next(m.value for m in at.markdown if "Best payer" in m.value)
    assert H.image in _shown(highlights) and H.link in _shown(highlights)
    at.selectbox(key="whatif_from").set_value(H.link).run()
    at.selectbox(key="whatif_to").set_value(H.latex).run()
    _check_page(at, "unwrapped what-if", seen)
    assert any(H.link in _shown(m.value) and H.latex in _shown(m.value) for m in at.markdown)
    assert any(H.artist in _shown(h.value) for h in at.header)

    # every hostile platform chosen in the sidebar: the caption under each title names them
    at.multiselect(key="f_platforms").set_value([*H.stores, *H.small_stores]).run()
    for page in PAGES:
        at.switch_page(page).run()
        _check_page(at, f"{page} (platforms chosen)", seen)
    at.switch_page("app_pages/unwrapped.py").run()
    at.selectbox(key="f_period").set_value("All time").run()
    _check_page(at, "unwrapped, all time", seen)

    expected = {*H.stores, *H.small_stores, H.file_name, *TERRITORIES, H.artist}
    assert expected <= seen, expected - seen


def test_the_import_page_quotes_hostile_files_and_cells_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use_db(monkeypatch, tmp_path / "empty.db")
    seen: set[str] = set()
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page("app_pages/import_statements.py").run()

    at.text_input(key="import_period").input(H.image).run()
    _check_page(at, "bad period", seen)
    assert any(H.image in _shown(e.value) for e in at.error)
    at.text_input(key="import_period").input("").run()

    good = (H.link + ".tsv", statement(H), "text/tab-separated-values")
    bad = (H.bad_file_name, bad_statement(H), "text/tab-separated-values")
    at.file_uploader(key="uploads").set_value([good, bad]).run()
    _check_page(at, "preview", seen)
    assert any(H.bad_cell in _shown(w.value) for w in at.warning)  # the cell, quoted as text
    assert any(H.link in _shown(e.label) for e in at.expander)

    at.button(key="import_button").click().run()
    _check_page(at, "import", seen)
    errors = [_shown(e.value) for e in at.error]
    assert len(errors) == 1 and H.bad_cell in errors[0] and H.bad_file_name in errors[0]
    assert at.success

    at.file_uploader(key="uploads").set_value([good]).run()
    at.button(key="import_button").click().run()
    _check_page(at, "duplicate", seen)
    assert any(H.link in _shown(i.value) for i in at.info)
    assert {H.bad_cell, H.bad_file_name, H.link, H.image} <= seen
