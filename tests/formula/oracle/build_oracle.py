#!/usr/bin/python3
"""Evaluate the formula corpus in LibreOffice Calc and write the oracle file the tests read.

The corpus (``corpus.txt`` next to this script) holds spreadsheet formulas; LibreOffice Calc
evaluates every one of them headless, and ``results.json`` records what it computed. No value
in ``results.json`` is written by hand: regenerate it whenever the corpus changes (the test
checks the corpus digest and fails when the two have drifted apart).

Regenerate, on a Debian machine (the tests themselves never need LibreOffice):

    apt-get install -y libreoffice-calc-nogui      # brings python3-uno
    /usr/bin/python3 tests/formula/oracle/build_oracle.py

Debian's own ``/usr/bin/python3`` is needed because the UNO bridge (``import uno``) is
installed for it. The script starts its own ``soffice --headless`` with a throwaway profile,
puts each formula in a cell through the UNO API, recalculates the whole document and reads
every cell back as an exact double (files written by LibreOffice keep only 15 digits).

Corpus syntax, one item a line (``#`` starts a comment line):

* ``[family]`` starts a family of cases; inputs defined with ``let`` last until the next one.
* ``let name = literal`` defines an input: a number, ``"text"``, ``TRUE``/``FALSE``, ``blank``
  or an array constant ``{1, 2, 3}``. Calc sees the literal in place of the name (``blank``
  becomes a reference to an empty cell); keyvex receives the value as a variable (an array
  becomes a list).
* ``table name = {"key", "price"; "Basic", 29; ...}`` defines a data table: the first row
  names the columns. Calc sees the rows after the first as an array constant; keyvex
  receives the table (a list of row objects) through ``tables``.
* Any other line is a case: a formula in spreadsheet syntax (``,`` between arguments,
  ``{1, 2; 3, 4}`` arrays, ``TRUE``/``FALSE`` without parentheses). It may be followed by
  ``=> keyvex formula`` when keyvex writes it differently, and by ``!tag`` when keyvex
  differs on purpose (the tags are listed in ``test_oracle.py`` and the formula docs).
  Without ``=>``, keyvex evaluates the same text, each one-row array constant becoming a
  list variable (``arr1``, ``arr2`` ...).
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus.txt"
RESULTS = HERE / "results.json"
EMPTY_CELL = "$Z$65000"  # never written, so Calc reads it as an empty cell (a blank input)
# Functions whose English name in Calc's API grammar is not the spreadsheet name.
CALC_FUNCTION_NAMES = {"EFFECT": "EFFECTIVE"}

# A string literal, an identifier, or any other single character.
_TOKEN = re.compile(r'"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_.]*|\s+|.', re.S)


@dataclass
class Case:
    family: str
    line: int
    calc: str
    keyvex: str | None
    difference: str | None
    inputs: dict[str, str] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)


def parse_corpus(text: str) -> list[Case]:
    cases: list[Case] = []
    family = ""
    inputs: dict[str, str] = {}
    tables: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            family, inputs, tables = line[1:-1].strip(), {}, {}
            continue
        match = re.fullmatch(r"(let|table)\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+)", line)
        if match:
            target = inputs if match.group(1) == "let" else tables
            target[match.group(2)] = match.group(3).strip()
            continue
        calc, keyvex, difference = _split_case(line)
        if not family:
            raise SystemExit(f"corpus line {number}: a case before any [family]")
        cases.append(Case(family, number, calc, keyvex, difference, dict(inputs), dict(tables)))
    return cases


def _split_case(line: str) -> tuple[str, str | None, str | None]:
    """Split `calc => keyvex !tag` at the markers that are outside string literals."""
    parts: list[str] = [""]
    difference = None
    tokens = _TOKEN.findall(line)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token == "=" and index + 1 < len(tokens) and tokens[index + 1] == ">":
            parts.append("")
            index += 2
            continue
        if token == "!" and index + 1 < len(tokens):
            difference = "".join(tokens[index + 1 :]).strip()
            break
        parts[-1] += token
        index += 1
    if len(parts) > 2:
        raise SystemExit(f"more than one '=>' in {line!r}")
    calc = parts[0].strip()
    keyvex = parts[1].strip() if len(parts) == 2 else None
    return calc, keyvex, difference


def literal_value(literal: str) -> Any:
    """The keyvex value of a corpus literal (a list for an array constant)."""
    literal = literal.strip()
    if literal.lower() == "blank":
        return None
    if literal.upper() in ("TRUE", "FALSE"):
        return literal.upper() == "TRUE"
    if literal.startswith('"'):
        return literal[1:-1].replace('""', '"')
    if literal.startswith("{"):
        rows = _array_rows(literal)
        if len(rows) != 1:
            raise SystemExit(f"a list input must be one row: {literal}")
        return rows[0]
    return float(literal)


def _array_rows(literal: str) -> list[list[Any]]:
    body = literal.strip()[1:-1]
    rows: list[list[Any]] = [[]]
    item = ""
    for token in _TOKEN.findall(body) + [","]:
        if token in (",", ";"):
            if item.strip():
                rows[-1].append(literal_value(item))
            item = ""
            if token == ";":
                rows.append([])
        else:
            item += token
    return rows


def table_value(literal: str) -> list[dict[str, Any]]:
    rows = _array_rows(literal)
    header = [str(name) for name in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def _table_body(literal: str) -> str:
    """The Calc array constant of a table literal: its rows without the header row."""
    tokens = _TOKEN.findall(literal.strip()[1:-1])
    for index, token in enumerate(tokens):
        if token == ";":
            return "{" + "".join(tokens[index + 1 :]) + "}"
    raise SystemExit(f"a table needs a header row and at least one row: {literal}")


def calc_formula(case: Case) -> str:
    """The formula in the grammar of Calc's UNO API: ';' between arguments, arrays {a;b|c;d}."""
    text = case.calc
    out: list[str] = []
    depth = 0
    tokens = _TOKEN.findall(text)
    for index, token in enumerate(tokens):
        following = next((t for t in tokens[index + 1 :] if not t.isspace()), "")
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        if token == ",":
            out.append(";")
        elif token == ";" and depth:
            out.append("|")
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", token) and following == "(":
            out.append(CALC_FUNCTION_NAMES.get(token.upper(), token))
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", token):
            out.append(token if depth else _calc_name(token, case))
        else:
            out.append(token)
    return "=" + "".join(out)


def _calc_name(token: str, case: Case) -> str:
    if token in case.inputs:
        literal = case.inputs[token]
        if literal.lower() == "blank":
            return EMPTY_CELL
        return calc_formula(Case("", 0, literal, None, None))[1:]
    if token in case.tables:
        return calc_formula(Case("", 0, _table_body(case.tables[token]), None, None))[1:]
    if token.upper() in ("TRUE", "FALSE"):
        return token.upper() + "()"
    return token


def keyvex_form(case: Case) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The keyvex formula, its variables and its tables."""
    variables = {name: literal_value(value) for name, value in case.inputs.items()}
    tables = {name: table_value(value) for name, value in case.tables.items()}
    if case.keyvex is not None:
        return case.keyvex, variables, tables
    out: list[str] = []
    tokens = _TOKEN.findall(case.calc)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token == "{":
            end = tokens.index("}", index)
            name = f"arr{sum(1 for n in variables if n.startswith('arr')) + 1}"
            variables[name] = literal_value("".join(tokens[index : end + 1]))
            out.append(name)
            index = end + 1
            continue
        out.append(token)
        index += 1
    return "".join(out), variables, tables


def corpus_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- LibreOffice -------------------------------------------------------------------------


def _connect(profile: Path, pipe: str) -> tuple[subprocess.Popen[bytes], Any]:
    import uno

    process = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(300):
        try:
            return process, resolver.resolve(
                f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
            )
        except Exception:  # noqa: BLE001 - not listening yet
            time.sleep(0.1)
    process.kill()
    raise SystemExit("LibreOffice did not start")


_FORMAT_LOGICAL, _FORMAT_DATE, _FORMAT_TIME = 1024, 2, 4
_RESULT_VALUE, _RESULT_STRING, _RESULT_ERROR = 1, 2, 4


def evaluate_in_calc(formulas: list[str]) -> list[dict[str, Any]]:
    import uno  # Debian's python3-uno; it makes the com.sun.star modules importable

    PropertyValue = uno.getClass("com.sun.star.beans.PropertyValue")  # noqa: N806

    with tempfile.TemporaryDirectory() as directory:
        process, context = _connect(Path(directory) / "profile", f"keyvexoracle{time.time_ns()}")
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        hidden = PropertyValue()
        hidden.Name, hidden.Value = "Hidden", True
        document = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, (hidden,))
        try:
            sheet = document.Sheets.getByIndex(0)
            # A sentinel proves that the document was recalculated after the formulas went in.
            sheet.getCellByPosition(1, 0).setFormula("=6*7")
            for row, formula in enumerate(formulas):
                sheet.getCellByPosition(0, row).setFormula(formula)
            document.calculateAll()
            if sheet.getCellByPosition(1, 0).getValue() != 42.0:
                raise SystemExit("LibreOffice did not recalculate the document")
            formats = document.NumberFormats
            results = [
                _read(sheet.getCellByPosition(0, row), formats) for row in range(len(formulas))
            ]
        finally:
            document.close(True)
            try:
                desktop.terminate()
            except Exception:  # noqa: BLE001 - the bridge closes as soffice exits
                pass
            process.wait(timeout=60)
    return results


def _read(cell: Any, formats: Any) -> dict[str, Any]:
    kind = cell.FormulaResultType2
    if kind == _RESULT_ERROR or cell.getError():
        return {"kind": "error", "error": cell.getString(), "code": cell.getError()}
    if kind == _RESULT_STRING:
        return {"kind": "text", "value": cell.getString()}
    value = cell.getValue()
    format_type = formats.getByKey(cell.NumberFormat).Type
    if format_type & _FORMAT_LOGICAL:
        return {"kind": "boolean", "value": value != 0.0}
    if format_type & (_FORMAT_DATE | _FORMAT_TIME):
        return {"kind": "date", "value": value, "shown": cell.getString()}
    return {"kind": "number", "value": value}


def libreoffice_version() -> str:
    output = subprocess.run(
        ["soffice", "--version"], capture_output=True, text=True, check=True
    ).stdout
    return output.strip()


def main() -> None:
    text = CORPUS.read_text(encoding="utf-8")
    cases = parse_corpus(text)
    formulas = [calc_formula(case) for case in cases]
    calc_results = evaluate_in_calc(formulas)
    records = []
    for case, formula, result in zip(cases, formulas, calc_results, strict=True):
        keyvex, variables, tables = keyvex_form(case)
        record: dict[str, Any] = {
            "family": case.family,
            "line": case.line,
            "calc": formula,
            "keyvex": keyvex,
            "variables": variables,
            "result": result,
        }
        if tables:
            record["tables"] = tables
        if case.difference:
            record["difference"] = case.difference
        records.append(record)
    document = {
        "generator": "tests/formula/oracle/build_oracle.py",
        "libreoffice": libreoffice_version(),
        "corpus_sha256": corpus_digest(text),
        "cases": records,
    }
    RESULTS.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    sys.stdout.write(f"{len(records)} formulas evaluated by {document['libreoffice']}\n")


if __name__ == "__main__":
    main()
