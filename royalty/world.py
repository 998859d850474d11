"""Country outlines for the world map, shipped with the package so the map draws offline.

plotly's own map outlines are fetched from a CDN when a map is drawn, which fails on a closed
network (the map comes out blank). The outlines here are world-atlas's ``countries-110m.json``
(Natural Earth 1:110m, TopoJSON, ISC licence, see ``reference/countries-110m.LICENSE``),
re-keyed by ISO 3166 alpha-3 (the code ``royalty.territories`` stores as ``iso3``) and
written to ``static/world_110m.json``, which the app serves to plotly.js.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry

TOPOJSON = Path(__file__).parent / "reference" / "countries-110m.json"


def _iso3(numeric: str | None) -> str | None:
    if not numeric:
        return None
    country = pycountry.countries.get(numeric=str(numeric).zfill(3))
    return country.alpha_3 if country is not None else None


TOPOJSON_NAME = "world_110m"
"""The file name plotly.js asks for (``<topojsonURL>world_110m.json``) for a world map."""


@lru_cache(maxsize=1)
def plotly_topojson() -> dict[str, Any]:
    """The outlines as the TopoJSON plotly.js loads for ``geo`` maps, ids as ISO alpha-3.

    plotly.js fetches ``<topojsonURL>world_110m.json`` before it draws any world map; the
    app serves this file itself (``static/``) so maps draw offline. Only country shapes are
    included: the charts switch off land, coast, ocean, lake and river layers.
    """
    topo = json.loads(TOPOJSON.read_text(encoding="utf-8"))
    countries = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        iso3 = _iso3(geometry.get("id"))
        if iso3 is not None:
            countries.append({**geometry, "id": iso3})
    objects: dict[str, Any] = {"countries": {"type": "GeometryCollection", "geometries": countries}}
    for layer in ("land", "coastlines", "ocean", "lakes", "rivers", "subunits"):
        objects[layer] = {"type": "GeometryCollection", "geometries": []}
    return {**topo, "objects": objects}


def plotly_topojson_text() -> str:
    return json.dumps(plotly_topojson(), separators=(",", ":"), sort_keys=True) + "\n"
