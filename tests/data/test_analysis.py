"""Data analysis: type detection, quality, duplicates, tool-type suggestions and mappings."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from keyvex.data import Cell, Dataset, SourceError
from keyvex.data.analysis import Analysis, ColumnProfile, analyze
from keyvex.tools import get_template


def profile_of(values: list[Cell], name: str = "Value") -> ColumnProfile:
    return analyze(Dataset(columns=[name], rows=[[v] for v in values])).columns[0]


def table(columns: list[str], rows: list[list[Cell]]) -> Analysis:
    return analyze(Dataset(columns=columns, rows=rows))


# --- currency, percent, numbers -------------------------------------------------------------


def test_dollar_amounts_with_signs_and_accounting_brackets_are_usd() -> None:
    col = profile_of(["$1,234.50", "$5", "-$5", "(1,234.00)", "$0.99"])
    assert (col.type, col.currency, col.consistency) == ("currency", "USD", 1.0)
    assert (col.min, col.max) == (-1234, 1234.5)


def test_euro_amounts_with_decimal_commas_and_a_trailing_code_are_eur() -> None:
    col = profile_of(["1.234,50 EUR", "12,00 EUR", "3.000,00 EUR", "7,5 EUR"])
    assert (col.type, col.currency) == ("currency", "EUR")
    assert (col.min, col.max) == (7.5, 3000)


def test_pound_symbols_and_leading_iso_codes_name_their_currency() -> None:
    assert profile_of(["£12", "£1,200.75", "£3"]).currency == "GBP"
    assert profile_of(["USD 10", "USD 1,000", "USD 2.50"]).currency == "USD"


def test_plain_numbers_without_symbols_are_numbers_not_currency() -> None:
    col = profile_of(["10", "20.5", "-3", "1e3"])
    assert (col.type, col.currency, col.min, col.max) == ("number", None, -3, 1000)


def test_percentages_with_and_without_a_space_are_percent() -> None:
    col = profile_of(["12%", "12.5 %", "0%", "100%"])
    assert (col.type, col.min, col.max) == ("percent", 0, 100)


def test_thousands_separators_are_read_with_the_dot_convention() -> None:
    col = profile_of(["1,234", "12,345.5", "7"])
    assert (col.type, col.min, col.max) == ("number", 7, 12345.5)


def test_decimal_commas_win_when_most_values_need_them() -> None:
    col = profile_of(["1.234,5", "2,25", "10", "3,5"])
    assert (col.type, col.min, col.max) == ("number", 2.25, 1234.5)


def test_a_number_column_with_12_percent_junk_stays_number_with_a_suggestion() -> None:
    values: list[Cell] = [str(i) for i in range(88)] + ["n.a.", "unknown"] * 6
    analysis = table(["Price"], [[v] for v in values])
    col = analysis.columns[0]
    assert (col.type, col.consistency) == ("number", 0.88)
    assert "Column Price has 12% non-numeric values." in analysis.suggestions


def test_a_column_with_30_percent_text_is_text_with_a_near_miss_suggestion() -> None:
    values: list[Cell] = [str(i) for i in range(70)] + [f"note {i}" for i in range(30)]
    analysis = table(["Amount"], [[v] for v in values])
    assert analysis.columns[0].type == "string"
    assert analysis.columns[0].consistency == 1.0
    assert any("Amount looks like number but only 70%" in s for s in analysis.suggestions)


def test_words_meaning_empty_count_as_empty_cells() -> None:
    col = profile_of(["1", "N/A", "3", "-", None, "null"])
    assert (col.type, col.null_pct, col.distinct_count) == ("number", 66.67, 2)


# --- dates ----------------------------------------------------------------------------------


def test_iso_dates_are_dates_with_iso_min_and_max() -> None:
    col = profile_of(["2024-03-01", "2023-12-31", "2024-11-05"])
    assert (col.type, col.date_format) == ("date", "%Y-%m-%d")
    assert (col.min, col.max) == ("2023-12-31", "2024-11-05")


def test_iso_datetimes_keep_their_time_in_min_and_max() -> None:
    col = profile_of(["2024-03-01T10:00:00", "2024-03-01T09:30:00Z", "2024-02-01T23:59:59"])
    assert (col.type, col.date_format) == ("date", "%Y-%m-%dT%H:%M:%S")
    assert (col.min, col.max) == ("2024-02-01T23:59:59", "2024-03-01T10:00:00")


def test_a_day_above_12_in_first_place_makes_the_column_day_first() -> None:
    col = profile_of(["01/03/2024", "13/03/2024", "31/12/2024", "02/04/2024"])
    assert (col.type, col.date_format) == ("date", "%d/%m/%Y")
    assert (col.min, col.max) == ("2024-03-01", "2024-12-31")


def test_a_day_above_12_in_second_place_makes_the_column_month_first() -> None:
    col = profile_of(["3/1/24", "12/25/24", "1/15/24"])
    assert (col.type, col.date_format) == ("date", "%m/%d/%y")
    assert (col.min, col.max) == ("2024-01-15", "2024-12-25")


def test_undecidable_slash_dates_are_month_first_and_dotted_ones_day_first() -> None:
    assert profile_of(["01/02/2024", "03/04/2024"]).date_format == "%m/%d/%Y"
    dotted = profile_of(["01.02.2024", "03.04.2024"])
    assert (dotted.date_format, dotted.min) == ("%d.%m.%Y", "2024-02-01")


def test_dates_with_month_names_in_either_order_are_dates() -> None:
    day_month = profile_of(["1 Mar 2024", "15 January 2024", "3 dec 2023"])
    assert (day_month.type, day_month.date_format) == ("date", "%d %B %Y")
    assert (day_month.min, day_month.max) == ("2023-12-03", "2024-03-01")
    month_day = profile_of(["March 1, 2024", "Feb 9, 2024"])
    assert (month_day.type, month_day.date_format, month_day.min) == (
        "date",
        "%B %d, %Y",
        "2024-02-09",
    )


def test_a_value_violating_the_day_first_order_lowers_consistency() -> None:
    values: list[Cell] = [f"{d:02d}/03/2024" for d in range(13, 31)] + ["03/13/2024"] * 2
    col = profile_of(values)
    assert (col.type, col.date_format, col.consistency) == ("date", "%d/%m/%Y", 0.9)


# --- booleans -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [["true", "false", "TRUE"], ["yes", "no", "Yes"], ["Y", "N", "y"], ["1", "0", "1", "0"]],
)
def test_columns_of_only_boolean_words_are_boolean(values: list[Cell]) -> None:
    assert profile_of(values).type == "boolean"


def test_a_zero_one_two_column_is_a_number_not_a_boolean() -> None:
    assert profile_of(["0", "1", "2", "1"]).type == "number"


def test_yes_no_and_maybe_is_text_and_all_ones_is_a_number() -> None:
    assert profile_of(["yes", "no", "maybe"]).type == "string"
    assert profile_of(["1", "1", "1"]).type == "number"


def test_dataset_cells_of_native_types_are_read_as_their_text() -> None:
    analysis = table(["n", "flag"], [[1, True], [2.5, False], [None, True]])
    assert [(c.type, c.min, c.max) for c in analysis.columns] == [
        ("number", 1, 2.5),
        ("boolean", None, None),
    ]


# --- quality and duplicates -----------------------------------------------------------------


def test_quality_is_the_weighted_mean_of_its_hand_checked_parts() -> None:
    # 10 rows x 2 columns. Plan has 1 empty cell of 20 -> completeness 1 - 1/20 = 0.95.
    # Price: 9 of 10 values are currency ("oops" is not) -> 0.9; Plan (text) 1.0 -> mean 0.95.
    # Row 9 repeats row 1 -> 1 duplicate of 10 rows -> uniqueness 0.9.
    # Score = 0.4 * 0.95 + 0.4 * 0.95 + 0.2 * 0.9 = 0.38 + 0.38 + 0.18 = 0.94.
    plans: list[Cell] = ["A", "B", "C", "D", "E", "F", "G", "H", "A", None]
    prices: list[Cell] = [f"${i}" for i in range(1, 9)] + ["$1", "oops"]
    analysis = table(["Plan", "Price"], [list(r) for r in zip(plans, prices, strict=True)])
    q = analysis.quality
    assert (q.completeness, q.type_consistency, q.uniqueness) == (0.95, 0.95, 0.9)
    assert (q.score, q.duplicate_rows, q.duplicate_pct) == (0.94, 1, 10.0)
    price = analysis.column("Price")
    assert (price.type, price.distinct_count, price.min, price.max) == ("currency", 9, 1, 8)
    assert analysis.suggestions == [
        "Column Plan is 10% empty.",
        "Column Price has 10% non-currency values.",
        "1 duplicate row.",
    ]


def test_duplicate_rows_count_every_repeat_of_an_earlier_row() -> None:
    rows: list[list[Cell]] = [["a", "1"], ["b", "2"], ["a", "1"], ["a", "1"], ["b", "3"]]
    analysis = table(["k", "v"], rows)
    assert (analysis.quality.duplicate_rows, analysis.quality.duplicate_pct) == (2, 40.0)
    assert "2 duplicate rows." in analysis.suggestions


def test_rows_differing_only_in_empty_cells_are_not_duplicates() -> None:
    rows: list[list[Cell]] = [["a", None, "x"], ["a", "x", None], ["a", None, "x"]]
    assert table(["a", "b", "c"], rows).quality.duplicate_rows == 1


def test_samples_are_up_to_five_distinct_raw_values_in_order() -> None:
    col = profile_of(["b", "a", "b", None, "c", "d", "e", "f"])
    assert col.samples == ["b", "a", "c", "d", "e"]


# --- files and the sampled path -------------------------------------------------------------


def write_csv(path: Path, header: list[str], rows: list[list[str]], **options: str) -> Path:
    with path.open("w", newline="", encoding=options.pop("encoding", "utf-8")) as handle:
        writer = csv.writer(handle, delimiter=options.pop("delimiter", ","))
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_a_file_bigger_than_the_sample_gets_exact_counts(tmp_path: Path) -> None:
    rows = [[f"id{i}", f"${i}.50", "yes" if i % 2 else "no"] for i in range(2500)]
    rows[2100][1] = ""  # empties, duplicates and extremes all after the sample
    rows[2200] = list(rows[2199])
    rows[2300][1] = "$99,999.00"
    path = write_csv(tmp_path / "big.csv", ["Id", "Price", "Active"], rows)
    analysis = analyze(path, sample_rows=1000)
    assert (analysis.row_count, analysis.quality.duplicate_rows) == (2500, 1)
    price = analysis.column("Price")
    assert (price.type, price.null_pct, price.max) == ("currency", 0.04, 99999)
    assert analysis.column("Id").distinct_count == 2499


def test_a_sorted_key_after_the_sample_proves_every_row_distinct(tmp_path: Path) -> None:
    rows = [[f"k{i:05d}", f"{i % 7}", f"${i}.25"] for i in range(3000)]
    path = write_csv(tmp_path / "sorted.csv", ["Id", "Group", "Price"], rows)
    analysis = analyze(path, sample_rows=2500)  # 2,500 distinct ids: not categories
    assert analysis.column("Id").distinct_count == 3000
    assert analysis.quality.duplicate_rows == 0
    price = analysis.column("Price")
    assert (price.distinct_count, price.min, price.max) == (3000, 0.25, 2999.25)


def test_a_key_that_falls_out_of_order_after_the_sample_is_counted(tmp_path: Path) -> None:
    rows = [[f"k{i:05d}", f"{i % 7}"] for i in range(3000)]
    rows[2900] = list(rows[5])  # out of order, and a whole duplicate row
    rows[2950][0] = ""
    path = write_csv(tmp_path / "unsorted.csv", ["Id", "Group"], rows)
    analysis = analyze(path, sample_rows=2500)
    assert (analysis.column("Id").distinct_count, analysis.column("Id").null_pct) == (2998, 0.03)
    assert analysis.quality.duplicate_rows == 1


def test_a_many_valued_column_is_counted_exactly_below_100k_rows(tmp_path: Path) -> None:
    rows = [[f"w{(i * 7919) % 2900}"] for i in range(90_000)]  # repeats within the sample
    analysis = analyze(write_csv(tmp_path / "words.csv", ["Word"], rows), sample_rows=5000)
    assert analysis.column("Word").distinct_count == 2900


def test_a_many_valued_column_of_a_big_file_gets_an_estimate_within_5_pct(tmp_path: Path) -> None:
    rows = [[f"id{i:06d}", f"w{(i * 7919) % 30000}"] for i in range(120_000)]
    analysis = analyze(write_csv(tmp_path / "big.csv", ["Id", "Word"], rows))
    assert analysis.column("Id").distinct_count == 120_000  # a likely key: exact
    assert abs(analysis.column("Word").distinct_count - 30_000) <= 1500
    assert analysis.quality.duplicate_rows == 0


def test_semicolon_files_with_decimal_commas_are_read(tmp_path: Path) -> None:
    rows = [["Basic", "9,99"], ["Pro", "1.299,00"], ["Team", "49,50"]]
    path = write_csv(tmp_path / "plans.csv", ["Plan", "Preis"], rows, delimiter=";")
    analysis = analyze(path)
    assert [c.name for c in analysis.columns] == ["Plan", "Preis"]
    assert (analysis.column("Preis").type, analysis.column("Preis").max) == ("number", 1299)


def test_tab_separated_files_are_read(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.tsv", ["a", "b"], [["1", "x, y"], ["2", "z"]], delimiter="\t")
    assert [c.type for c in analyze(path).columns] == ["number", "string"]


def test_a_windows_1252_file_is_transcoded(tmp_path: Path) -> None:
    rows = [["Café crème", "€4"], ["Thé", "€3,50"], ["Crêpe", "€6"]] * 20
    path = write_csv(tmp_path / "menu.csv", ["Plat", "Prix"], rows, encoding="cp1252")
    analysis = analyze(path)
    assert "Café crème" in analysis.column("Plat").samples
    assert analysis.column("Prix").currency == "EUR"


def test_an_empty_file_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(SourceError) as caught:
        analyze(path)
    assert caught.value.kind == "format"
    assert "empty.csv is empty" in caught.value.message


def test_a_header_only_file_has_no_rows(tmp_path: Path) -> None:
    analysis = analyze(write_csv(tmp_path / "h.csv", ["a", "b"], []))
    assert (analysis.row_count, analysis.column_count) == (0, 2)
    assert analysis.suggestions == ["The data has no rows."]


# --- tool types and mappings ----------------------------------------------------------------

CATALOGUE_COLUMNS = ["Product name", "Category", "Brand", "Price", "Rating"]


def catalogue() -> Analysis:
    categories, brands = ["Boots", "Tents", "Packs"], ["Alpina", "Nord", "Kestrel", "Fjell"]
    rows: list[list[Cell]] = [
        [
            f"Trail item {i}",
            categories[i % 3],
            brands[i % 4],
            f"${40 + 7 * i}.00",
            f"{3.5 + i % 15 / 10}",
        ]
        for i in range(30)
    ]
    return table(CATALOGUE_COLUMNS, rows)


def rate_table() -> Analysis:
    rows: list[list[Cell]] = [
        ["Bronze", "$0", "$49,999", "2%"],
        ["Silver", "$50,000", "$99,999", "3.5%"],
        ["Gold", "$100,000", "$249,999", "5%"],
        ["Platinum", "$250,000", "$1,000,000", "7.5%"],
    ]
    return table(["Tier", "Min revenue", "Max revenue", "Commission rate"], rows)


def survey() -> Analysis:
    rows: list[list[Cell]] = [
        [f"R{i}", *[str((i * q) % 5 + 1) for q in range(1, 7)], "yes" if i % 3 else "no"]
        for i in range(20)
    ]
    return table(["Respondent", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Would recommend"], rows)


def test_a_product_catalogue_suggests_a_recommendation_quiz_first() -> None:
    top = catalogue().suggested_tool_types[0]
    assert top.kind == "quiz" and top.confidence >= 0.8
    assert "Product name" in top.reason and "Category" in top.reason


def test_a_rate_table_keyed_by_ranges_suggests_a_calculator_first() -> None:
    kinds = [s.kind for s in rate_table().suggested_tool_types]
    assert kinds[0] == "calculator"
    reason = rate_table().suggested_tool_types[0].reason
    assert "Commission rate" in reason and "Min revenue" in reason


def test_a_survey_of_scale_answers_suggests_an_assessment_first() -> None:
    suggestions = survey().suggested_tool_types
    assert suggestions[0].kind == "assessment"
    assert "Q1" in suggestions[0].reason
    assert all(s.kind != "quiz" for s in suggestions)


def test_without_a_tool_columns_get_key_value_and_filter_roles() -> None:
    roles = {m.column: (m.target, m.target_kind) for m in catalogue().field_mappings}
    assert roles["Product name"] == ("product_name", "lookup_key")
    assert roles["Category"] == ("category", "filter")
    assert roles["Price"] == ("price", "lookup_value")


def test_without_a_tool_range_ends_are_filters() -> None:
    roles = {m.column: m.target_kind for m in rate_table().field_mappings}
    assert roles == {
        "Tier": "lookup_key",
        "Min revenue": "filter",
        "Max revenue": "filter",
        "Commission rate": "lookup_value",
    }


def test_with_a_tool_columns_map_to_its_tables_and_inputs() -> None:
    tool = get_template("business-valuation-estimate")
    rows: list[list[Cell]] = [
        ["services", "4", "$1,200,000", "18%"],
        ["saas", "8", "$800,000", "25%"],
        ["ecommerce", "5", "$2,500,000", "9%"],
        ["retail", "3.5", "$600,000", "6%"],
    ]
    analysis = analyze(
        Dataset(columns=["Industry", "Multiple", "Annual revenue", "EBITDA margin"], rows=rows),
        tool=tool,
    )
    found = {(m.column, m.target, m.target_kind) for m in analysis.field_mappings}
    assert ("Industry", "industry_multiples.industry", "lookup_key") in found
    assert ("Multiple", "industry_multiples.multiple", "lookup_value") in found
    assert ("Industry", "industry", "input") in found
    assert ("Annual revenue", "annual_revenue", "input") in found
    assert ("EBITDA margin", "ebitda_margin", "input") in found
    assert all(0 < m.confidence <= 1 and m.reason for m in analysis.field_mappings)


def test_a_text_column_is_not_mapped_to_a_currency_input_however_close_its_name() -> None:
    tool = get_template("business-valuation-estimate")
    data = Dataset(columns=["Annual revenue"], rows=[["about a million"], ["unknown"]])
    assert analyze(data, tool=tool).field_mappings == []


def test_analysis_is_json_serialisable_and_round_trips() -> None:
    analysis = catalogue()
    assert Analysis.model_validate_json(analysis.model_dump_json()) == analysis
