"""What an import stored, with names resolved: shared by the importer tests."""

from __future__ import annotations

from sqlalchemy import Engine, Select, select

from royalty.store.models import Artist, EarningLine, Platform, Release, Store, Track


def _query() -> Select:
    return (
        select(
            EarningLine.row_number,
            EarningLine.usage_month,
            EarningLine.usage_month_end,
            EarningLine.reporting_month,
            EarningLine.kind,
            EarningLine.territory,
            EarningLine.quantity,
            EarningLine.amount,
            EarningLine.amount_nano,
            EarningLine.currency,
            EarningLine.source_amount,
            EarningLine.source_currency,
            EarningLine.fx_rate,
            EarningLine.track_id,
            EarningLine.release_id,
            Artist.name.label("artist"),
            Platform.name.label("platform"),
            Store.raw_name.label("store"),
            Track.isrc,
            Track.title,
            Release.upc,
            Release.title.label("release"),
        )
        .join(Artist, Artist.id == EarningLine.artist_id)
        .join(Platform, Platform.id == EarningLine.platform_id)
        .join(Store, Store.id == EarningLine.store_id)
        .outerjoin(Track, Track.id == EarningLine.track_id)
        .outerjoin(Release, Release.id == EarningLine.release_id)
        .order_by(EarningLine.id)
    )


def stored_line_list(engine: Engine) -> list[dict]:
    """Every stored line in insertion order (row numbers restart per table of an archive)."""
    with engine.connect() as conn:
        return [r._asdict() for r in conn.execute(_query())]


def stored_lines(engine: Engine) -> dict[int, dict]:
    """Every stored line by the file row it came from."""
    return {line["row_number"]: line for line in stored_line_list(engine)}
