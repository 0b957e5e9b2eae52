"""Write the small .xls (BIFF8) fixture, sample.xls, with xlwt (a PyPI writer; not a dependency).

Run once from the repository root; the committed file is what the tests read:

    pip install --target /tmp/xlwt xlwt
    PYTHONPATH=/tmp/xlwt python tests/data/files/make_xls.py
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlwt  # type: ignore[import-not-found]

HERE = Path(__file__).resolve().parent


def main() -> None:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Prices")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    rows = [
        ("Product", "Price", "Launched", "In stock", "Note"),
        ("Café crème", 3.5, dt.date(2021, 3, 1), True, "bestseller"),
        ("Tea", 2, dt.date(2020, 11, 30), False, None),
        ("=1+1", 10, None, True, "+not a formula"),
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                sheet.write(r, c, value, date_style)
            else:
                sheet.write(r, c, value)
    book.add_sheet("Notes").write(0, 0, "Nothing here yet")
    book.save(str(HERE / "sample.xls"))


if __name__ == "__main__":
    main()
