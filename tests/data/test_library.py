"""The data templates: each example file reads, has the declared columns and types, and
pairs with a tool template that exists."""

from __future__ import annotations

import pytest

from keyvex.data.analysis import analyze
from keyvex.data.library import CREATE_FROM_DATA, data_templates, example_bytes, get_data_template
from keyvex.data.sources.files import read_file
from keyvex.errors import NotFound
from keyvex.tools import get_template

COMMON_CASES = {
    "real-estate-listings",
    "crm-contacts",
    "product-catalogue",
    "price-list",
    "rate-table",
}


def test_the_library_covers_the_common_cases_once_each() -> None:
    ids = [t.id for t in data_templates()]
    assert set(ids) == COMMON_CASES
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("template", data_templates(), ids=lambda t: t.id)
def test_each_example_file_has_the_declared_columns_and_types(template: object) -> None:
    from keyvex.data.library import DataTemplate

    assert isinstance(template, DataTemplate)
    dataset = read_file(template.path)
    assert dataset.columns == [c.name for c in template.columns]
    assert 5 <= dataset.row_count <= 50, "small, but enough rows to try a tool"
    profiles = {c.name: c.type for c in analyze(dataset).columns}
    assert profiles == {c.name: c.type for c in template.columns}


@pytest.mark.parametrize("template", data_templates(), ids=lambda t: t.id)
def test_each_template_pairs_with_a_tool_template_or_creating_from_data(template: object) -> None:
    from keyvex.data.library import DataTemplate

    assert isinstance(template, DataTemplate)
    if template.pairs_with != CREATE_FROM_DATA:
        assert get_template(template.pairs_with).id == template.pairs_with
    assert template.description.endswith(".")
    assert all(c.description for c in template.columns)


def test_the_product_catalogue_is_what_a_recommendation_quiz_needs() -> None:
    catalogue = get_data_template("product-catalogue")
    assert catalogue.pairs_with == CREATE_FROM_DATA
    assert b'"$1,299.00"' in example_bytes("product-catalogue")


def test_an_unknown_data_template_is_not_found() -> None:
    with pytest.raises(NotFound):
        get_data_template("../index")
