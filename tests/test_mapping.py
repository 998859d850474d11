"""A file in no known layout, mapped once: the guess from header words in several languages,
the checks that refuse a mapping that cannot work (naming the field and a cell), import with
``--map``, ``--save-layout`` so later files need none, and ``royalty layouts``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from royalty.cli import main
from royalty.importers.mapped import guess_mapping
from royalty.ingest import import_path
from royalty.store import layouts
from royalty.store.db import make_engine
from royalty.store.models import EarningLine, Statement

LABEL = (
    "Monat;Titel;Künstler;Shop;Land;Menge;Umsatz (EUR)\n"
    "2024-01;Nachtzug;Die Beispiele;Spotify;DE;1200;3,45\n"
    "2024-01;Nachtzug;Die Beispiele;Apple Music;CH;210;1,02\n"
    "2024-02;Nachtzug;Die Beispiele;Deezer;AT;300;0,81\n"
)
MAP = [
    "--map", "usage_month=Monat", "--map", "amount=Umsatz (EUR)", "--map", "store=Shop",
    "--map", "title=Titel", "--map", "artist=Künstler", "--map", "territory=Land",
    "--map", "quantity=Menge",
]  # fmt: skip


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    first = tmp_path / "vertrieb_2024-q1.csv"
    first.write_text(LABEL, encoding="utf-8")
    later = tmp_path / "vertrieb_2024-q2.csv"
    later.write_text(
        "Monat;Titel;Künstler;Shop;Land;Menge;Umsatz (EUR)\n"
        "2024-04;Nachtzug;Die Beispiele;Spotify;DE;900;2,61\n",
        encoding="utf-8",
    )
    return {"first": first, "later": later}


def stored(url: str) -> list[tuple]:
    engine = make_engine(url)
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(EarningLine.usage_month, EarningLine.amount, EarningLine.currency,
                       EarningLine.territory, EarningLine.quantity).order_by(EarningLine.id)
            )
        ]  # fmt: skip


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["Monat", "Titel", "Shop", "Land", "Menge", "Umsatz (EUR)"],
         {"usage_month": "Monat", "title": "Titel", "store": "Shop", "territory": "Land",
          "quantity": "Menge", "amount": "Umsatz (EUR)"}),
        (["Période", "Titre", "Plateforme", "Pays", "Quantité", "Montant net", "Devise"],
         {"usage_month": "Période", "title": "Titre", "store": "Plateforme",
          "territory": "Pays", "quantity": "Quantité", "amount": "Montant net",
          "currency": "Devise"}),
        (["Fecha", "Título", "Tienda", "País", "Cantidad", "Importe", "Moneda"],
         {"usage_month": "Fecha", "title": "Título", "store": "Tienda", "territory": "País",
          "quantity": "Cantidad", "amount": "Importe", "currency": "Moneda"}),
        (["Sales Period", "Track Title", "ISRC", "Store", "Country", "Units", "Net Revenue",
          "Currency", "Album", "Artist Name", "UPC"],
         {"usage_month": "Sales Period", "title": "Track Title", "isrc": "ISRC",
          "store": "Store", "territory": "Country", "quantity": "Units",
          "amount": "Net Revenue", "currency": "Currency", "release": "Album",
          "artist": "Artist Name", "upc": "UPC"}),
    ],
)  # fmt: skip
def test_the_guess_reads_header_words_in_several_languages(header, expected):
    assert guess_mapping(header) == expected


def test_import_with_a_mapping_and_save_it_for_later_files(tmp_path, files, capsys):
    url = f"sqlite:///{tmp_path / 'm.db'}"

    assert main(["import", str(files["first"]), "--db", url]) == 1  # no layout knows it
    assert "--map usage_month=HEADER" in capsys.readouterr().out

    code = main(
        ["import", str(files["first"]), "--db", url, *MAP, "--currency", "EUR",
         "--save-layout", "Beispiel Vertrieb", "--json"]
    )  # fmt: skip
    assert code == 0
    (result,) = json.loads(capsys.readouterr().out)
    assert (result["status"], result["format"], result["rows"]) == (
        "imported", "saved:Beispiel Vertrieb", 3,
    )  # fmt: skip
    assert result["totals"] == {"EUR": "5.28"}
    assert stored(url) == [
        (202401, "3.45", "EUR", "DE", 1200),
        (202401, "1.02", "EUR", "CH", 210),
        (202402, "0.81", "EUR", "AT", 300),
    ]

    # the next file with the same header needs no --map
    assert main(["import", str(files["later"]), "--db", url, "--json"]) == 0
    (later,) = json.loads(capsys.readouterr().out)
    assert (later["status"], later["totals"]) == ("imported", {"EUR": "2.61"})
    engine = make_engine(url)
    with engine.connect() as conn:
        assert set(conn.execute(select(Statement.source)).scalars()) == {"Beispiel Vertrieb"}
    # and so does the Python API, in the same database
    again = tmp_path / "same_header_other_rows.csv"
    again.write_text(LABEL.replace("3,45", "3,46"), encoding="utf-8")
    assert import_path(engine, again).status == "imported"


def test_a_mapping_that_cannot_work_is_refused_naming_the_field(tmp_path, files, capsys):
    url = f"sqlite:///{tmp_path / 'm.db'}"

    # no amount
    assert main(["import", str(files["first"]), "--db", url, "--map", "usage_month=Monat",
                 "--currency", "EUR"]) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "amount is not mapped: say which column holds it (--map amount=HEADER)" in err
    # a column the file does not have
    assert main(["import", str(files["first"]), "--db", url, "--map", "usage_month=Month",
                 "--map", "amount=Umsatz (EUR)", "--currency", "EUR"]) == 1  # fmt: skip
    assert "usage_month=Month: the file has no column 'Month'" in capsys.readouterr().err
    # a column that holds no amounts
    assert main(["import", str(files["first"]), "--db", url, "--map", "usage_month=Monat",
                 "--map", "amount=Titel", "--currency", "EUR", "--json"]) == 1  # fmt: skip
    (result,) = json.loads(capsys.readouterr().out)
    assert (
        "the amount field is mapped to column 'Titel', which does not hold amounts of money "
        "(row 2: 'Nachtzug')"
    ) in result["message"]
    # no currency anywhere
    assert main(["import", str(files["first"]), "--db", url, "--map", "usage_month=Monat",
                 "--map", "amount=Umsatz (EUR)"]) == 1  # fmt: skip
    assert "no currency" in capsys.readouterr().err
    # not a field
    assert main(["import", str(files["first"]), "--db", url, "--map", "money=Umsatz"]) == 2
    assert "FIELD one of usage_month amount" in capsys.readouterr().err
    assert stored(url) == []
    assert layouts.saved(make_engine(url)) == []


def test_layouts_list_export_import_remove(tmp_path, files, capsys):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    other = f"sqlite:///{tmp_path / 'other.db'}"
    main(["import", str(files["first"]), "--db", url, *MAP, "--currency", "EUR",
          "--save-layout", "Beispiel Vertrieb"])  # fmt: skip
    capsys.readouterr()

    assert main(["layouts", "list", "--db", url, "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["name"] == "Beispiel Vertrieb" and listed["currency"] == "EUR"
    assert listed["fields"]["amount"] == "Umsatz (EUR)"

    toml = tmp_path / "beispiel.toml"
    assert main(["layouts", "export", "Beispiel Vertrieb", "--out", str(toml), "--db", url]) == 0
    text = toml.read_text(encoding="utf-8")
    assert 'name = "Beispiel Vertrieb"' in text and 'amount = "Umsatz (EUR)"' in text

    # a manager hands it to another: the other database imports the file without --map
    assert main(["layouts", "import", str(toml), "--db", other]) == 0
    capsys.readouterr()
    assert main(["import", str(files["later"]), "--db", other, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["totals"] == {"EUR": "2.61"}

    assert main(["layouts", "remove", "Beispiel Vertrieb", "--db", other]) == 0
    assert main(["layouts", "remove", "Beispiel Vertrieb", "--db", other]) == 1
    assert "no saved layout is called 'Beispiel Vertrieb'" in capsys.readouterr().err
    third = tmp_path / "vertrieb_2024-q3.csv"
    third.write_text(LABEL.replace("2024-0", "2024-1"), encoding="utf-8")
    assert main(["import", str(third), "--db", other]) == 1  # unknown again


def test_a_broken_layout_file_is_refused(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "X"\nheader = ["A", "B"]\n[fields]\nusage_month = "A"\n', "utf-8")
    assert main(["layouts", "import", str(bad), "--db", url]) == 1
    assert "amount is not mapped" in capsys.readouterr().err
    bad.write_text("not = [toml", "utf-8")
    assert main(["layouts", "import", str(bad), "--db", url]) == 1
    assert "is not a layout file (TOML)" in capsys.readouterr().err


def test_layout_names_and_headers_survive_a_round_trip_whatever_they_hold(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    header = ['Mo"nat', "Umsatz\\EUR", "=SUM(A1)", "Tab\there", "Ünïcödé 🎵"]
    fields = {"usage_month": 'Mo"nat', "amount": "Umsatz\\EUR", "title": "Ünïcödé 🎵"}
    saved = layouts.save(engine, 'Label "Q" \\ 🎵', header, fields, "eur")

    back = layouts.from_toml(layouts.to_toml(saved))

    assert back == saved
    assert back.currency == "EUR"
    with pytest.raises(layouts.LayoutError):
        layouts.save(engine, "bad\nname", header, fields, None)
