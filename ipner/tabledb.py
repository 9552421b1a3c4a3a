"""The table of facts kept in an SQLite database (``python -m ipner table --db FILE``).

Two tables:

- ``sources``: one row per fact as one document states it, unique by ``(document,
  quantity_start, quantity_end)``; ``fact`` holds the fact as JSON (SCHEMA.md), beside its
  ``sentence``, ``quantity`` text, ``value``, ``unit``, ``approx`` and the ``fact_id`` it counts for;
- ``facts``: one row per key (place, metric, period, kind), unique by ``(place_key, metric_key,
  period_key, kind)``, with the columns of :data:`ipner.tables.TABLE_COLUMNS` except the per-source
  lists (which are in ``sources``); ``"values"`` is a JSON array.

A run adds its sources in one transaction and recomputes the facts they belong to with
:func:`ipner.tables.group_facts`, so the database always equals the table of all its sources. A
source already there (the same document id and offsets) is not added again; if the run read it
differently (another model), the new reading replaces it. Any failure or interruption (an error,
Ctrl-C, SIGTERM, a killed process) leaves the database as it was before the run; a database that
the run created is removed again.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ipner.errors import InputError, UsageError
from ipner.tables import TABLE_COLUMNS, fact_key, group_facts, rows_to_frame

__all__ = ["SCHEMA_VERSION", "DbUpdate", "update_db", "read_db", "read_db_sources"]

#: ``PRAGMA user_version`` of a facts database written by this module.
SCHEMA_VERSION = 1

_KEY_COLUMNS = ("place_key", "metric_key", "period_key", "kind")
#: The facts table's columns besides id and key: the table's columns without the per-source lists.
_FACT_COLUMNS = tuple(c for c in TABLE_COLUMNS if c not in ("kind", "documents", "sentences", "offsets"))

_SCHEMA = f"""
CREATE TABLE facts (
    id INTEGER PRIMARY KEY,
    place_key TEXT NOT NULL, metric_key TEXT NOT NULL, period_key TEXT NOT NULL, kind TEXT NOT NULL,
    place TEXT, place_code TEXT, place_level TEXT, province TEXT, subject TEXT, metric_id TEXT, metric TEXT,
    period TEXT, value REAL, unit TEXT, approx TEXT, n_documents INTEGER NOT NULL DEFAULT 0,
    conflict INTEGER NOT NULL DEFAULT 0, "values" TEXT NOT NULL DEFAULT '[]',
    UNIQUE (place_key, metric_key, period_key, kind)
);
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    fact_id INTEGER NOT NULL REFERENCES facts (id),
    document TEXT NOT NULL, quantity_start INTEGER NOT NULL, quantity_end INTEGER NOT NULL,
    sentence TEXT, quantity TEXT, value REAL, unit TEXT, approx TEXT,
    fact TEXT NOT NULL,
    UNIQUE (document, quantity_start, quantity_end)
);
CREATE INDEX sources_by_fact ON sources (fact_id);
PRAGMA user_version = {SCHEMA_VERSION};
"""


@dataclass(frozen=True)
class DbUpdate:
    """What one run changed: sources added, replaced (read differently) and already there; facts
    added and recomputed; the facts and sources the database holds afterwards."""

    sources_added: int = 0
    sources_replaced: int = 0
    sources_unchanged: int = 0
    facts_added: int = 0
    facts_changed: int = 0
    facts_total: int = 0
    sources_total: int = 0

    def summary(self) -> str:
        """One line for the terminal."""
        return (
            f"{self.sources_added} source(s) added, {self.sources_replaced} replaced, {self.sources_unchanged} already there; "
            f"{self.facts_added} fact(s) added, {self.facts_changed} updated; the database holds "
            f"{self.facts_total} fact(s) from {self.sources_total} source(s)"
        )


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(str(path), isolation_level=None)  # transactions are explicit
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def _check_schema(connection: sqlite3.Connection, path: Path) -> bool:
    """True when the database is a facts database, False when it is empty; UsageError otherwise."""
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as err:
        raise UsageError(f"{path}: not an SQLite database ({err})") from None
    if not tables:
        return False
    if not {"facts", "sources"} <= tables or version != SCHEMA_VERSION:
        raise UsageError(f"{path}: not a facts database of this ipner version (tables {sorted(tables)}, version {version})")
    return True


def update_db(path: str | Path, sources: Iterable[tuple[str, Any]]) -> DbUpdate:
    """Add ``(document id, fact)`` pairs (facts as SCHEMA.md dicts or :class:`ipner.Fact`) to the
    facts database at ``path`` (created if missing), in one transaction; see the module's docstring.
    ``sources`` is consumed lazily inside the transaction, so an exception it raises midway (a
    document that fails, Ctrl-C) rolls the whole run back."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"--db {path} is a directory; give a file name")
    if not path.parent.is_dir():
        raise UsageError(f"--db: the directory {path.parent} does not exist")
    created = not path.exists()
    try:
        with closing(_connect(path)) as connection:
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.DatabaseError as err:  # not a database, or locked by another writer
                raise UsageError(f"{path}: cannot write to it as an SQLite database ({err})") from None
            try:
                result = _update(connection, path, sources)
                connection.execute("COMMIT")
            except BaseException:
                with suppress(sqlite3.Error):
                    connection.execute("ROLLBACK")
                raise
    except BaseException:
        if created:
            for leftover in (path, path.with_name(path.name + "-journal")):
                with suppress(OSError):
                    leftover.unlink()
        raise
    return result


def _update(connection: sqlite3.Connection, path: Path, sources: Iterable[tuple[str, Any]]) -> DbUpdate:
    if not _check_schema(connection, path):
        for statement in _SCHEMA.strip().split(";\n"):
            if statement.strip():
                connection.execute(statement)
    added = replaced = unchanged = 0
    touched: set[int] = set()
    facts_before = connection.execute("SELECT COUNT(*) FROM facts").fetchone()[0]
    for document, fact in sources:
        fact = fact.to_dict() if hasattr(fact, "to_dict") else fact
        key = fact_key(fact)
        if key is None:
            continue
        quantity = fact.get("quantity") or {}
        start, end = int(quantity.get("start") or 0), int(quantity.get("end") or 0)
        encoded = json.dumps(fact, ensure_ascii=False, sort_keys=True)
        old = connection.execute(
            "SELECT id, fact_id, fact FROM sources WHERE document = ? AND quantity_start = ? AND quantity_end = ?",
            (str(document), start, end),
        ).fetchone()
        if old is not None and old[2] == encoded:
            unchanged += 1
            continue
        fact_id = _fact_id(connection, key)
        values = (fact_id, fact.get("sentence"), quantity.get("text"), quantity.get("value"), quantity.get("unit"),
                  quantity.get("approx"), encoded)
        if old is None:
            connection.execute(
                "INSERT INTO sources (fact_id, sentence, quantity, value, unit, approx, fact, document, quantity_start, quantity_end)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, str(document), start, end),
            )
            added += 1
        else:
            connection.execute(
                "UPDATE sources SET fact_id = ?, sentence = ?, quantity = ?, value = ?, unit = ?, approx = ?, fact = ? WHERE id = ?",
                (*values, old[0]),
            )
            touched.add(old[1])
            replaced += 1
        touched.add(fact_id)
    for fact_id in sorted(touched):
        _recompute(connection, fact_id)
    facts_total = connection.execute("SELECT COUNT(*) FROM facts").fetchone()[0]
    sources_total = connection.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
    facts_added = max(facts_total - facts_before, 0)
    return DbUpdate(added, replaced, unchanged, facts_added, max(len(touched) - facts_added, 0), facts_total, sources_total)


def _fact_id(connection: sqlite3.Connection, key: tuple[str, str, str, str]) -> int:
    connection.execute(f"INSERT OR IGNORE INTO facts ({', '.join(_KEY_COLUMNS)}) VALUES (?, ?, ?, ?)", key)
    where = " AND ".join(f"{column} = ?" for column in _KEY_COLUMNS)
    return connection.execute(f"SELECT id FROM facts WHERE {where}", key).fetchone()[0]


def _recompute(connection: sqlite3.Connection, fact_id: int) -> None:
    """Recompute one fact row from all its sources; drop it when none is left."""
    rows = connection.execute("SELECT document, fact FROM sources WHERE fact_id = ? ORDER BY id", (fact_id,)).fetchall()
    grouped = group_facts((document, json.loads(fact)) for document, fact in rows)
    if not grouped:
        connection.execute("DELETE FROM facts WHERE id = ?", (fact_id,))
        return
    (row,) = grouped
    row = {**row, "conflict": int(row["conflict"]), "values": json.dumps(row["values"])}
    assignments = ", ".join(f'"{column}" = ?' for column in _FACT_COLUMNS)
    connection.execute(f"UPDATE facts SET {assignments} WHERE id = ?", (*(row[c] for c in _FACT_COLUMNS), fact_id))


def read_db_sources(path: str | Path) -> list[tuple[str, dict[str, Any]]]:
    """Every ``(document id, fact)`` the database at ``path`` holds, in the order they were added."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such database")
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        if not _check_schema(connection, path):
            return []
        rows = connection.execute("SELECT document, fact FROM sources ORDER BY id").fetchall()
    return [(document, json.loads(fact)) for document, fact in rows]


def read_db(path: str | Path):
    """The whole table of the database at ``path`` as a ``pandas.DataFrame`` (the columns of
    :func:`ipner.facts_table`), computed from its sources."""
    return rows_to_frame(group_facts(read_db_sources(path)))
