"""Statement checking for SQL sources: exactly one read-only SELECT, or a refusal saying why.

The check parses the query with sqlglot in the database's own dialect (so comment and
quoting rules match the server's) and accepts only a single ``SELECT`` (``WITH ... SELECT``
and ``UNION``/``INTERSECT``/``EXCEPT`` included). Anywhere in the tree it refuses:

- data changes and DDL (``INSERT``, ``UPDATE``, ``DELETE``, ``MERGE``, ``CREATE``, ``DROP``,
  ``ALTER``, ``TRUNCATE``), including data-modifying CTEs (``WITH d AS (DELETE ...)``);
- session and server statements (``SET``, ``CALL``, ``COPY``, ``ATTACH``, ``PRAGMA``, ...)
  and anything sqlglot can only read as an opaque command;
- ``SELECT ... INTO`` and locking clauses (``FOR UPDATE``/``FOR SHARE``/``LOCK IN SHARE MODE``);
- MySQL/MariaDB executable comments (``/*! ... */``, ``/*M! ... */``), which the server runs,
  and comments containing ``;`` (a second statement hidden from a reader);
- the functions in :data:`DENIED_FUNCTIONS`: sleeping, locking, file and large-object
  access, dynamic SQL, connections to other servers, sequence changes, server control.

Text sqlglot cannot parse is refused too: a false refusal is better than running SQL that
was not checked. The check is one layer; the connector also runs every query in a read-only
transaction with a statement timeout (see ``keyvex.data.sources.sql``).
"""

from __future__ import annotations

from sqlglot import exp, parse
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import SqlglotError
from sqlglot.tokenizer_core import Token, TokenType

from keyvex.data._types import SourceError

#: Functions refused in any dialect (compared case-insensitively, schema prefixes ignored).
DENIED_FUNCTIONS: frozenset[str] = frozenset(
    {
        # PostgreSQL: sleeping, locks, files, large objects, dynamic SQL, other servers
        "pg_sleep", "pg_sleep_for", "pg_sleep_until",
        "pg_advisory_lock", "pg_advisory_lock_shared", "pg_advisory_xact_lock",
        "pg_advisory_xact_lock_shared", "pg_try_advisory_lock", "pg_try_advisory_lock_shared",
        "pg_try_advisory_xact_lock", "pg_try_advisory_xact_lock_shared",
        "pg_read_file", "pg_read_binary_file", "pg_ls_dir", "pg_stat_file", "pg_file_write",
        "pg_ls_logdir", "pg_ls_waldir", "pg_ls_tmpdir", "pg_ls_archive_statusdir",
        "lo_import", "lo_export", "lo_create", "lo_creat", "lo_unlink", "lo_put",
        "lo_from_bytea", "lo_open", "lo_write", "lowrite", "lo_truncate",
        "dblink", "dblink_exec", "dblink_connect", "dblink_connect_u", "dblink_send_query",
        "dblink_open", "dblink_fetch",
        "query_to_xml", "query_to_xml_and_xmlschema", "query_to_xmlschema", "cursor_to_xml",
        "database_to_xml", "database_to_xml_and_xmlschema", "schema_to_xml",
        "nextval", "setval", "set_config",
        "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "pg_rotate_logfile",
        "pg_switch_wal", "pg_create_restore_point", "pg_promote", "pg_notify",
        "pg_logical_emit_message", "pg_create_logical_replication_slot",
        "pg_create_physical_replication_slot", "pg_drop_replication_slot",
        # MySQL / MariaDB: sleeping, locks, files, user-defined shell functions, replication waits
        "sleep", "benchmark", "get_lock", "release_lock", "release_all_locks",
        "is_free_lock", "is_used_lock", "load_file", "sys_exec", "sys_eval",
        "master_pos_wait", "source_pos_wait", "master_gtid_wait",
        "wait_for_executed_gtid_set", "wait_until_sql_thread_after_gtids",
        # SQL Server: ad-hoc connections to other servers and files
        "openrowset", "opendatasource", "openquery", "openxml",
        # SQLite (shell and extension functions)
        "load_extension", "readfile", "writefile", "edit", "fts3_tokenizer",
    }
)  # fmt: skip

#: Node types refused anywhere in the tree, with the words used in the message.
_DENIED_NODES: tuple[tuple[str, str], ...] = (
    ("Insert", "an INSERT"),
    ("Update", "an UPDATE"),
    ("Delete", "a DELETE"),
    ("Merge", "a MERGE"),
    ("Create", "a CREATE statement"),
    ("Drop", "a DROP statement"),
    ("Alter", "an ALTER statement"),
    ("TruncateTable", "a TRUNCATE statement"),
    ("Set", "a SET statement"),
    ("Use", "a USE statement"),
    ("Copy", "a COPY statement"),
    ("LoadData", "a LOAD DATA statement"),
    ("Attach", "an ATTACH statement"),
    ("Detach", "a DETACH statement"),
    ("Pragma", "a PRAGMA statement"),
    ("Grant", "a GRANT statement"),
    ("Revoke", "a REVOKE statement"),
    ("Transaction", "a transaction statement"),
    ("Commit", "a COMMIT"),
    ("Rollback", "a ROLLBACK"),
    ("Cache", "a CACHE statement"),
    ("Uncache", "an UNCACHE statement"),
    ("Refresh", "a REFRESH statement"),
    ("Analyze", "an ANALYZE statement"),
    ("Into", "SELECT ... INTO"),
    ("Lock", "a locking clause (FOR UPDATE / FOR SHARE)"),
    ("Command", "a statement that is not a SELECT"),
)
_DENIED_TYPES: tuple[tuple[type[exp.Expr], str], ...] = tuple(
    (getattr(exp, name), words) for name, words in _DENIED_NODES if hasattr(exp, name)
)
_TOP_LEVEL = (exp.Select, exp.SetOperation, exp.Subquery)
_MYSQL_FAMILY = frozenset({"mysql", "singlestore", "doris", "starrocks"})


def refuse(found: str) -> SourceError:
    return SourceError("refused", f"Only a single SELECT statement is allowed; found {found}.")


def check_select(query: str, dialect: str) -> str:
    """The query without a trailing ``;``, or SourceError("refused") naming what was found.

    ``dialect`` is a sqlglot dialect name: "postgres", "mysql", "tsql", "sqlite".
    """
    if not query.strip():
        raise refuse("an empty query")
    parser = Dialect.get_or_raise(dialect)
    try:
        tokens = parser.tokenize(query)
    except SqlglotError as exc:
        raise refuse(f"SQL that could not be read ({_first_line(exc)})") from None
    _check_comments(tokens, dialect)
    try:
        statements = [s for s in parse(query, read=dialect) if s is not None]
    except SqlglotError as exc:
        raise refuse(f"SQL that could not be parsed ({_first_line(exc)})") from None
    if not statements:
        raise refuse("an empty query")
    if len(statements) > 1:
        raise refuse(f"{len(statements)} statements")
    _check_tree(statements[0], tokens[0].text if tokens else "")
    end = len(query)
    while tokens and tokens[-1].token_type == TokenType.SEMICOLON:
        end = tokens.pop().start
    return query[:end].rstrip()


def _check_comments(tokens: list[Token], dialect: str) -> None:
    for token in tokens:
        for comment in token.comments:
            text = comment.lstrip()
            if dialect in _MYSQL_FAMILY and text.startswith(("!", "M!")):
                raise refuse("an executable comment (/*! ... */), which the server would run")
            if ";" in comment:
                raise refuse("a comment containing ';'")


def _check_tree(statement: exp.Expr, first_word: str) -> None:
    if not isinstance(statement, _TOP_LEVEL):
        raise refuse(_describe(statement, first_word))
    for node in statement.walk():
        for denied, words in _DENIED_TYPES:
            if isinstance(node, denied):
                raise refuse(words)
        if isinstance(node, exp.Func):
            name = _function_name(node)
            if name in DENIED_FUNCTIONS:
                raise refuse(f"the function {name}(), which is not allowed")


def _function_name(node: exp.Func) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    return node.sql_name().lower()


def _describe(statement: exp.Expr, first_word: str) -> str:
    for denied, words in _DENIED_TYPES:
        if isinstance(statement, denied) and not isinstance(statement, exp.Command):
            return words
    word = first_word.upper()[:30] or statement.key.upper()
    return f"{'an' if word[:1] in 'AEIOU' else 'a'} {word} statement"


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
