"""SQL Server sources go through the real pymssql driver (no SQL Server runs here, so only
the paths that need no server: the URL, the checker, the SSRF guard and an unreachable host)."""

from __future__ import annotations

import pytest

from keyvex.data import SourceContext, SourceError
from keyvex.data.sources import connector

pytestmark = pytest.mark.anyio
SQL = connector("sql")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def refusal(url: str, query: str, ctx: SourceContext) -> SourceError:
    with pytest.raises(SourceError) as caught:
        await SQL.fetch({"url": url, "query": query}, {"password": "pw-123456"}, ctx)
    assert "pw-123456" not in str(caught.value)
    return caught.value


async def test_a_closed_sql_server_port_is_unreachable_through_the_driver() -> None:
    ctx = SourceContext(allow_loopback=True, timeout=3)
    error = await refusal("mssql://sa@127.0.0.1:9/sales", "SELECT TOP 5 name FROM products", ctx)
    assert error.kind == "unreachable" and "127.0.0.1:9" in str(error)


async def test_t_sql_writes_are_refused_before_connecting() -> None:
    ctx = SourceContext(allow_loopback=True, timeout=3)
    error = await refusal("mssql://sa@127.0.0.1:9/sales", "DELETE FROM products", ctx)
    assert error.kind == "refused"


async def test_a_private_sql_server_address_is_refused() -> None:
    error = await refusal("mssql://sa@10.0.0.1/sales", "SELECT 1", SourceContext())
    assert error.kind == "refused" and "10.0.0.1" in str(error)
