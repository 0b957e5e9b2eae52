"""Write the .xls (BIFF8) fixtures with xlwt (a PyPI writer; not a dependency): sample.xls, and
a_to_iv65536.xls, a hostile two-cell workbook (A1 and IV65536, the last cell of a BIFF8 sheet:
a 16.8-million-cell grid for calamine, about 1 GB).

Run once from the repository root; the committed files are what the tests read:

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
    hostile = xlwt.Workbook()
    far = hostile.add_sheet("S")
    far.write(0, 0, 1)
    far.write(65535, 255, 2)
    hostile.save(str(HERE / "a_to_iv65536.xls"))


if __name__ == "__main__":
    main()
