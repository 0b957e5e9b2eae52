"""The SELECT-only statement check, table-driven: what it accepts and what it refuses (and why)."""

from __future__ import annotations

import pytest

from keyvex.data import SourceError
from keyvex.data.sources._sqlcheck import DENIED_FUNCTIONS, check_select

PG, MY, MS, LITE = "postgres", "mysql", "tsql", "sqlite"

ACCEPTED = [
    (PG, "SELECT 1", "SELECT 1"),
    (PG, "select * from orders;", "select * from orders"),
    (PG, "SELECT a FROM t;  ;\n", "SELECT a FROM t"),
    (PG, "SELECT 1 -- trailing comment", "SELECT 1 -- trailing comment"),
    (PG, "WITH r AS (SELECT * FROM o WHERE d > now() - interval '7 days') SELECT * FROM r", None),
    (PG, "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s) SELECT n FROM s", None),
    (PG, "SELECT a FROM t UNION SELECT a FROM u", None),
    (PG, "SELECT a FROM t INTERSECT SELECT a FROM u EXCEPT SELECT a FROM v", None),
    (PG, "(SELECT a FROM t ORDER BY a LIMIT 3)", None),
    (PG, "SELECT price::numeric(10, 2), 'it''s; fine' AS note FROM p", None),
    (PG, "SELECT $$semi;colon$$ AS t", None),
    (PG, "SELECT count(*) FILTER (WHERE paid) FROM o GROUP BY r HAVING count(*) > 2", None),
    (PG, "SELECT * FROM a JOIN b ON a.id = b.a LEFT JOIN c USING (id) WHERE a.x > 0", None),
    (PG, "SELECT lower(name), coalesce(city, 'n/a'), row_number() OVER (ORDER BY id) FROM p", None),
    (PG, "/* monthly revenue */ SELECT month, sum(total) FROM sales GROUP BY month", None),
    (MY, "SELECT `order`, `from` FROM `select` WHERE a = 'x;y' LIMIT 10", None),
    (MY, "SELECT 1 --1", "SELECT 1 --1"),
    (MY, "SELECT /*+ MAX_EXECUTION_TIME(1000) */ id FROM t", None),
    (MY, "SELECT DATE_FORMAT(created, '%Y-%m') AS m, COUNT(*) FROM leads GROUP BY m", None),
    (MS, "SELECT TOP 10 [name] FROM [dbo].[customers] ORDER BY [name]", None),
    (LITE, "SELECT id, total FROM orders WHERE note LIKE '%gift%'", None),
]  # fmt: skip

REFUSED = [
    (PG, "", "an empty query"),
    (PG, " ; ", "an empty query"),
    (PG, "INSERT INTO t VALUES (1)", "an INSERT"),
    (PG, "UPDATE t SET a = 1", "an UPDATE"),
    (PG, "DELETE FROM t", "a DELETE"),
    (PG, "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE", "a MERGE"),
    (PG, "CREATE TABLE x (a int)", "a CREATE statement"),
    (PG, "DROP TABLE t", "a DROP statement"),
    (PG, "ALTER TABLE t ADD COLUMN b int", "an ALTER statement"),
    (PG, "TRUNCATE t", "a TRUNCATE statement"),
    (PG, "SET statement_timeout = 0", "a SET statement"),
    (PG, "SET TRANSACTION READ WRITE", "SET"),
    (PG, "CALL do_things()", "a CALL statement"),
    (PG, "COPY t TO '/tmp/t.csv'", "a COPY statement"),
    (PG, "DO $$ BEGIN DELETE FROM t; END $$", "a DO statement"),
    (PG, "EXPLAIN ANALYZE DELETE FROM t", "an EXPLAIN statement"),
    (PG, "GRANT ALL ON t TO public", "a GRANT statement"),
    (PG, "VALUES (1)", "a VALUES statement"),
    (PG, "SELECT 1; SELECT 2", "2 statements"),
    (PG, "SELECT 1; DROP TABLE t", "2 statements"),
    (PG, "SELECT 1 /* ; DROP TABLE t */", "a comment containing ';'"),
    (PG, "SELECT 1 -- ; DROP TABLE t", "a comment containing ';'"),
    (PG, "WITH gone AS (DELETE FROM t RETURNING *) SELECT * FROM gone", "a DELETE"),
    (PG, "WITH n AS (INSERT INTO t VALUES (1) RETURNING id) SELECT id FROM n", "an INSERT"),
    (PG, "SELECT * INTO backup FROM t", "SELECT ... INTO"),
    (PG, "SELECT * FROM t FOR UPDATE", "a locking clause"),
    (PG, "SELECT * FROM t FOR SHARE", "a locking clause"),
    (PG, "SELECT pg_sleep(10)", "the function pg_sleep()"),
    (PG, "SELECT pg_catalog.pg_sleep(10)", "the function pg_sleep()"),
    (PG, 'SELECT "PG_SLEEP"(10)', "the function pg_sleep()"),
    (PG, "SELECT pg_read_file('/etc/passwd')", "the function pg_read_file()"),
    (PG, "SELECT lo_import('/etc/passwd')", "the function lo_import()"),
    (PG, "SELECT * FROM dblink('host=10.0.0.1', 'SELECT 1') AS t(a int)", "the function dblink()"),
    (PG, "SELECT nextval('orders_id_seq')", "the function nextval()"),
    (PG, "SELECT setval('orders_id_seq', 1)", "the function setval()"),
    (PG, "SELECT set_config('transaction_read_only', 'off', true)", "the function set_config()"),
    (PG, "SELECT query_to_xml('DELETE FROM t', true, true, '')", "the function query_to_xml()"),
    (PG, "SELECT a FROM t WHERE b = (SELECT pg_terminate_backend(1))", "pg_terminate_backend()"),
    (PG, "SELECT 1 UNION SELECT pg_sleep(1)", "the function pg_sleep()"),
    (MY, "SELECT SLEEP(5)", "the function sleep()"),
    (MY, "SELECT BENCHMARK(1000000, MD5('x'))", "the function benchmark()"),
    (MY, "SELECT GET_LOCK('k', 10)", "the function get_lock()"),
    (MY, "SELECT LOAD_FILE('/etc/passwd')", "the function load_file()"),
    (MY, "SELECT sys_exec('id')", "the function sys_exec()"),
    (MY, "SELECT 1 /*! , SLEEP(5) */", "an executable comment"),
    (MY, "SELECT 1 /*M!100000 , SLEEP(5) */", "an executable comment"),
    (MY, "SELECT * FROM t LOCK IN SHARE MODE", "a locking clause"),
    (MY, "SELECT 1 INTO @x", "SELECT ... INTO"),
    (MY, "SELECT 1 INTO OUTFILE '/tmp/x'", "could not be parsed"),
    (MY, "SELECT 1 --1; DROP TABLE t", "2 statements"),
    (MY, "SHOW TABLES", "a SHOW statement"),
    (MY, "USE mysql", "a USE statement"),
    (MY, "LOAD DATA INFILE '/etc/passwd' INTO TABLE t", "could not be parsed"),
    (MS, "EXEC xp_cmdshell 'dir'", "an EXEC statement"),
    (MS, "SELECT * FROM OPENROWSET('SQLNCLI', 'Server=x', 'SELECT 1')", "openrowset()"),
    (LITE, "ATTACH DATABASE '/var/lib/keyvex/keyvex.db' AS k", "an ATTACH statement"),
    (LITE, "PRAGMA writable_schema = ON", "a PRAGMA statement"),
    (LITE, "SELECT load_extension('/tmp/evil.so')", "the function load_extension()"),
]  # fmt: skip


@pytest.mark.parametrize(("dialect", "query", "checked"), ACCEPTED)
def test_single_select_statements_are_accepted(
    dialect: str, query: str, checked: str | None
) -> None:
    assert check_select(query, dialect) == (checked if checked is not None else query)


@pytest.mark.parametrize(("dialect", "query", "found"), REFUSED)
def test_anything_but_one_select_is_refused_saying_what_was_found(
    dialect: str, query: str, found: str
) -> None:
    with pytest.raises(SourceError) as caught:
        check_select(query, dialect)
    assert caught.value.kind == "refused"
    message = str(caught.value)
    assert message.startswith("Only a single SELECT statement is allowed; found ")
    assert found in message and message.endswith(".")


@pytest.mark.parametrize("name", sorted(DENIED_FUNCTIONS))
def test_every_denied_function_is_refused_in_every_dialect(name: str) -> None:
    for dialect in (PG, MY, MS, LITE):
        with pytest.raises(SourceError, match="which is not allowed"):
            check_select(f"SELECT {name}(1, 2, 3) FROM t", dialect)
