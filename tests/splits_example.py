"""The worked example of issue 13: a band of four with a producer on two tracks, in 2024.

Cold Harbor Choir is Ana, Ben, Cleo and Dev, a quarter each of the whole catalogue from
2024-01. Pat produced two tracks: "Harbor Lights" (named by title) gives Pat a third and each
member a sixth from 2024-01; "Tin Roof Psalm" (named by ISRC) gives Pat 20% and each member
20% from 2024-07, so in its first half-year the catalogue's quarters apply (the share that
changes mid-year). "Salt Road" has no split of its own.

The statement (DistroKid, USD):

    Tin Roof Psalm  2024-03  Spotify      10.00
    Tin Roof Psalm  2024-03  Apple Music   2.01
    Tin Roof Psalm  2024-09  Spotify      12.34
    Harbor Lights   2024-05  Spotify       7.77
    Harbor Lights   2024-11  Deezer        1.01
    Salt Road       2024-06  Spotify       3.33
                                          -----
                                          36.46

Worked by hand, exactly:

    each member: 10.00/4 + 2.01/4 + 12.34/5 + 7.77/6 + 1.01/6 + 3.33/4
               = 2.50 + 0.5025 + 2.468 + 1.295 + 0.168333... + 0.8325 = 7.766333...
    Pat:         12.34/5 + 7.77/3 + 1.01/3 = 2.468 + 2.59 + 0.336666... = 5.394666...
    4 x 7.766333... + 5.394666... = 36.46 exactly.

Rounded each on its own they would be 7.77 x 4 + 5.39 = 36.47: a cent that does not exist.
Largest remainder: floors 7.76 x 4 + 5.39 = 36.43, 3 cents left; the remainders are 0.6333
(each member) and 0.4666 (Pat), so the cents go to the members, on the tie in alphabetical
order: Ana, Ben and Cleo 7.77, Dev 7.76, Pat 5.39; 7.77 x 3 + 7.76 + 5.39 = 36.46.

Ana's 7.77 by line (cents: exact, floor): Harbor Lights Deezer 16.83 -> 16, Harbor Lights
Spotify 129.5 -> 129, Salt Road 83.25 -> 83, Tin Roof Psalm Apple Music 50.25 -> 50, Tin Roof
Psalm Spotify (March, the catalogue's 25%) 250 -> 250, Tin Roof Psalm Spotify (September,
20%) 246.8 -> 246; the floors make 7.74, so the 3 cents go to the remainders .83, .8 and .5:
0.17 + 1.30 + 0.83 + 0.50 + 2.50 + 2.47 = 7.77. Dev's 7.76 takes 2 of them (.83 and .8):
0.17 + 1.29 + 0.83 + 0.50 + 2.50 + 2.47. Pat's 5.39: 33.67 -> 33, 259 -> 259, 246.8 -> 246,
one cent to .8: 0.33 + 2.59 + 2.47.
"""

from __future__ import annotations

from decimal import Decimal

from test_ingest import dk_file, dk_row

ARTIST = "Cold Harbor Choir"
TIN_ROOF = ("Tin Roof Psalm", "QZPLR2280031")
HARBOR = ("Harbor Lights", "QZPLR2280032")
SALT = ("Salt Road", "QZPLR2280033")
MEMBERS = ("Ana", "Ben", "Cleo", "Dev")
PRODUCER = "Pat"

LINES = [
    (TIN_ROOF, "2024-03", "Spotify", "10.00"),
    (TIN_ROOF, "2024-03", "Apple Music", "2.01"),
    (TIN_ROOF, "2024-09", "Spotify", "12.34"),
    (HARBOR, "2024-05", "Spotify", "7.77"),
    (HARBOR, "2024-11", "Deezer", "1.01"),
    (SALT, "2024-06", "Spotify", "3.33"),
]
STATEMENT = dk_file(
    [
        dk_row(month, amount, store=store, title=title, isrc=isrc)
        for (title, isrc), month, store, amount in LINES
    ]
)
TOTAL = Decimal("36.46")

SHEET = (
    "isrc,title,payee,share,from_month\n"
    ",,Ana,25%,2024-01\n,,Ben,25%,2024-01\n,,Cleo,25%,2024-01\n,,Dev,25%,2024-01\n"
    "QZPLR2280031,Tin Roof Psalm,Ana,20%,2024-07\n"
    "QZPLR2280031,Tin Roof Psalm,Ben,20%,2024-07\n"
    "QZPLR2280031,Tin Roof Psalm,Cleo,20%,2024-07\n"
    "QZPLR2280031,Tin Roof Psalm,Dev,20%,2024-07\n"
    "QZPLR2280031,Tin Roof Psalm,Pat,20%,2024-07\n"
    ",Harbor Lights,Pat,1/3,2024-01\n"
    ",Harbor Lights,Ana,1/6,2024-01\n,Harbor Lights,Ben,1/6,2024-01\n"
    ",Harbor Lights,Cleo,1/6,2024-01\n,Harbor Lights,Dev,1/6,2024-01\n"
)

AMOUNTS = {
    "Ana": Decimal("7.77"),
    "Ben": Decimal("7.77"),
    "Cleo": Decimal("7.77"),
    "Dev": Decimal("7.76"),
    "Pat": Decimal("5.39"),
}
"""The five statements, worked by hand (the module docstring)."""

LINES_OF = {
    # payee: [(track, source, first month, share, amount)] in statement order
    "Ana": [
        ("Harbor Lights", "Deezer", 202411, "1/6", "0.17"),
        ("Harbor Lights", "Spotify", 202405, "1/6", "1.30"),
        ("Salt Road", "Spotify", 202406, "25%", "0.83"),
        ("Tin Roof Psalm", "Apple Music", 202403, "25%", "0.50"),
        ("Tin Roof Psalm", "Spotify", 202403, "25%", "2.50"),
        ("Tin Roof Psalm", "Spotify", 202409, "20%", "2.47"),
    ],
    "Dev": [
        ("Harbor Lights", "Deezer", 202411, "1/6", "0.17"),
        ("Harbor Lights", "Spotify", 202405, "1/6", "1.29"),
        ("Salt Road", "Spotify", 202406, "25%", "0.83"),
        ("Tin Roof Psalm", "Apple Music", 202403, "25%", "0.50"),
        ("Tin Roof Psalm", "Spotify", 202403, "25%", "2.50"),
        ("Tin Roof Psalm", "Spotify", 202409, "20%", "2.47"),
    ],
    "Pat": [
        ("Harbor Lights", "Deezer", 202411, "1/3", "0.33"),
        ("Harbor Lights", "Spotify", 202405, "1/3", "2.59"),
        ("Tin Roof Psalm", "Spotify", 202409, "20%", "2.47"),
    ],
}
