"""Export files written in the shapes `../shared/reference/real-world.md` ("Export files")
describes, for the importer's tests and benchmark. Every value is generated here; nothing is a
copy of anyone's data.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

# Page-level metrics of a classic export, each as Daily / Weekly / 28 Days columns
CLASSIC_PAGE_LEVEL = [
    "Page Engaged Users", "Total Reach", "Organic Reach", "Paid Reach", "Viral Reach",
    "Total Impressions", "Organic impressions", "Paid Impressions", "Viral impressions",
    "Reach of page posts", "Organic Reach of Page posts", "Paid Reach of page posts",
    "Viral Reach of page posts", "Total Impressions of your posts",
    "Organic impressions of your posts", "Paid impressions of your posts",
    "Viral impressions of your posts", "People Talking About This", "Page Consumers",
    "Page Consumptions", "Negative Feedback", "Negative Feedback from Users",
    "Logged-in Page Views",
]
CLASSIC_SINGLE = ["Lifetime Total Likes", "Daily New Likes", "Daily Unlikes", "Daily Paid Likes",
                  "Daily Organic Likes", "Daily Total Check-ins"]
_CITIES = ["Kelderby", "Ashford Vale", "Brimley", "Corran", "Dunmere", "Eastwick Parva",
           "Fallowfield", "Greyholm", "Harrowden", "Ilsley"]
_COUNTIES = ["England", "Wales", "Scotland", "Northern Ireland"]


def classic_titles(columns: int) -> list[str]:
    """A classic export's titles, about as Meta wrote them: ``Date``, the Page-level columns,
    then breakdowns (by city, country, age and gender, story type, hour) up to ``columns``."""
    titles = ["Date", *CLASSIC_SINGLE[:1]]
    titles += [f"{period} {metric}" for metric in CLASSIC_PAGE_LEVEL
               for period in ("Daily", "Weekly", "28 Days")]
    titles += CLASSIC_SINGLE[1:]
    titles += [f"Daily Liked and online - {hour}" for hour in range(24)]
    titles += [f"Lifetime Likes by Gender and Age - {sex}.{ages}" for sex in "FMU"
               for ages in ("13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")]
    titles += [f"Weekly People Talking About This by story type - {kind}"
               for kind in ("fan", "page post", "user post", "checkin", "mention", "other")]
    n = 0
    while len(titles) < columns:
        city = f"{_CITIES[n % len(_CITIES)]} {n // len(_CITIES) + 1}"
        county = _COUNTIES[n % len(_COUNTIES)]
        titles.append(f"Lifetime Likes by City - {city}, {county}, United Kingdom"
                      if n % 3 else f"Weekly Reach by Country - C{n:04d}")
        n += 1
    return titles[:columns]


def classic_rows(titles: list[str], days: list[date], *, us_dates: bool = True,
                 talking: Callable[[int], int] = lambda n: 40 + n % 17,
                 likes: Callable[[int], int] = lambda n: 1000 + n) -> list[list[str]]:
    """The description row, then one row per day: likes and talking-about from the given
    functions of the day's number, other Page-level figures from it, breakdowns sparse."""
    rows = [["", *[f"The {title.lower()} (Unique Users)" for title in titles[1:]]]]
    for n, day in enumerate(days):
        cells = [f"{day.month}/{day.day}/{day.year}" if us_dates else day.isoformat()]
        for index, title in enumerate(titles[1:], start=1):
            if title == "Lifetime Total Likes":
                cells.append(str(likes(n)))
            elif title == "Weekly People Talking About This":
                cells.append(str(talking(n)))
            elif " - " in title:
                cells.append(str((n + index) % 9) if (n + index) % 5 == 0 else "")
            else:
                cells.append(str((n * 7 + index * 13) % 500))
        rows.append(cells)
    return rows


def write_classic(path: Path, days: list[date], *, columns: int = 2100,
                  encoding: str = "cp1252", newline: str = "\r\n", us_dates: bool = True,
                  page_name: str = "Kelderby Museum & Café", **values) -> Path:
    """A classic "Facebook Insights Data Export" CSV: Windows-1252 with CRLF by default, a
    title row, a row of descriptions, one row per day with US dates (``M/D/YYYY``)."""
    titles = classic_titles(columns)
    titles[-1] = f"Lifetime Likes by City - {page_name} Quarter, England"  # an accent in cp1252
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(titles)
    writer.writerows(classic_rows(titles, days, us_dates=us_dates, **values))
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def mbs_blocks(path: Path, blocks: list[tuple[str, dict[date, int]]], *, sep: str = ",",
               sep_line: bool = True, blank_between: bool = True) -> Path:
    """A Business Suite metric file of one or more blocks (a title line, "Date","Primary",
    a row per day), UTF-16 LE with a BOM, as the 2023–24 two-block vintages are."""
    lines = [f"sep={sep}"] if sep_line else []
    for number, (title, values) in enumerate(blocks):
        if number and blank_between:
            lines.append("")
        lines.append(f'"{title}"')
        lines.append(f'"Date"{sep}"Primary"')
        lines += [f'"{day.isoformat()}T00:00:00"{sep}"{value}"' for day, value in values.items()]
    path.write_bytes(codecs.BOM_UTF16_LE + "\r\n".join(lines).encode("utf-16-le"))
    return path


def facebook_posts(path: Path, page_id: str, page_name: str,
                   posts: list[tuple[str, str, int]]) -> Path:
    """A Business Suite post export: (post ID, publish time as Meta writes it, reactions)."""
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["Post ID", "Page ID", "Page name", "Title", "Description",
                         "Publish time", "Permalink", "Post type", "Reactions", "Comments",
                         "Shares", "Reach"])
        for post, published, reactions in posts:
            writer.writerow([post, page_id, page_name, "", "Open day 🎉\nAll welcome",
                             published, f"https://www.facebook.com/{page_id}/posts/{post}",
                             "Photos", reactions, 2, 1, 300])
    return path


def instagram_posts(path: Path, posts: list[tuple[str, str, int]]) -> Path:
    """A Business Suite post export of an Instagram account: per-post Likes, no Page ID."""
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["Post ID", "Account ID", "Account username", "Account name",
                         "Description", "Duration (sec)", "Publish time", "Permalink",
                         "Post type", "Data comment", "Date", "Views", "Reach", "Likes",
                         "Shares", "Follows", "Comments", "Saves"])
        for post, published, likes in posts:
            writer.writerow([post, "17841400000000000", "kelderbymuseum", "Kelderby Museum",
                             "Spring 🌷", "", published,
                             f"https://www.instagram.com/p/{post}/", "IG image", "",
                             "Lifetime", 900, 700, likes, 3, 1, 4, 2])
    return path


def days_from(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]
