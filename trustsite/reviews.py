"""Review dates: when the site and each page were last checked, and when they fall due.

A page may carry `last_reviewed: YYYY-MM-DD` (and optionally `next_review`) in its front
matter; otherwise it follows the site's dates from the locale. Anything past its review date
shows a visible notice; `check` warns from 30 days before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.utils.meta import get_data

from trustsite.locale import Locale, Problem, display_path
from trustsite.reproducible import source_date

WARN_DAYS_BEFORE = 30


def today() -> dt.date:
    """The build's date: SOURCE_DATE_EPOCH when set, so rebuilds of a revision match; else
    today, not a fixed date, because review notices must say what is due now."""
    when = source_date()
    return when.date() if when else dt.date.today()


def one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day + dt.timedelta(days=365)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class Review:
    last: dt.date
    next: dt.date

    @classmethod
    def of(cls, last: Any, following: Any = None) -> "Review | None":
        last_date = _as_date(last)
        if last_date is None:
            return None
        return cls(last_date, _as_date(following) or one_year_after(last_date))

    def is_due(self, on: dt.date | None = None) -> bool:
        return (on or today()) >= self.next

    def is_due_soon(self, on: dt.date | None = None) -> bool:
        return (on or today()) >= self.next - dt.timedelta(days=WARN_DAYS_BEFORE)


def site_review(locale: Locale) -> Review:
    site = locale.data["site"]
    review = Review.of(site["last_reviewed"], site.get("next_review"))
    assert review is not None  # the schema has already checked the date
    return review


def page_review(meta: dict[str, Any]) -> Review | None:
    return Review.of(meta.get("last_reviewed"), meta.get("next_review"))


def review_warnings(locale: Locale, pages: dict[str, Path], on: dt.date | None = None,
                    ) -> list[Problem]:
    """Warnings for the site and each page that is due for review within 30 days or overdue."""
    warnings = []
    site = site_review(locale)
    if site.is_due_soon(on):
        line = locale.lines.get(("site", "next_review")) or locale.lines.get(("site", "last_reviewed"), 0)
        warnings.append(Problem(display_path(locale.path), line, "site.next_review",
                                _due_message("this copy of the guide", site, on)))
    for name, path in sorted(pages.items()):
        _, meta = get_data(path.read_text(encoding="utf-8"))
        review = page_review(meta)
        if review and review.is_due_soon(on):
            warnings.append(Problem(display_path(path), 1, "last_reviewed",
                                    _due_message(f"the page {name}", review, on)))
    return warnings


def _due_message(what: str, review: Review, on: dt.date | None) -> str:
    state = "was due" if review.is_due(on) else "is due"
    return (f"{what} {state} for review on {review.next.isoformat()} (last reviewed "
            f"{review.last.isoformat()}). Check it, then update the date.")
