"""ipner.tabledb: the facts database: reruns add no duplicates, new articles add to it, and an
interrupted run (an exception midway, Ctrl-C, a killed process) leaves it as it was."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from ipner.errors import UsageError
from ipner.tabledb import read_db, read_db_sources, update_db
from ipner.tables import TABLE_COLUMNS, group_facts, rows_to_frame
from tests.conftest import REPO
from tests.test_tables import CHANGSHA, make_fact

FIRST_RUN = [
    ("a.txt", make_fact(start=20)),
    ("a.txt", make_fact(metric="发明专利授权量", metric_id="invention_patent_grants", metric_name="发明专利授权量",
                        quantity="9286件", value=9286.0, start=40)),
    ("b.txt", make_fact(metric="每萬人有效發明專利擁有量", subject="株洲", start=7)),
]
NEW_ARTICLES = [
    ("c.txt", make_fact(quantity="31.2件", value=31.2, start=3)),
    ("d.txt", make_fact(place=CHANGSHA, subject="长沙", quantity="72.42件", value=72.42, start=11)),
]


def dump(path):
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


def facts_rows(path):
    with sqlite3.connect(path) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute("SELECT * FROM facts ORDER BY id")]


def test_a_run_creates_facts_and_sources(tmp_path):
    db = tmp_path / "facts.sqlite"
    update = update_db(db, FIRST_RUN)
    assert (update.sources_added, update.facts_added, update.facts_total, update.sources_total) == (3, 2, 2, 3)
    assert "3 source(s) added" in update.summary()
    facts = facts_rows(db)
    per_10k = next(f for f in facts if f["metric_id"] == "invention_patents_per_10k_people")
    assert (per_10k["place"], per_10k["place_code"], per_10k["period"], per_10k["n_documents"]) == ("株洲市", "430200", "2023", 2)
    assert per_10k["value"] == 31.24 and per_10k["conflict"] == 0 and json.loads(per_10k["values"]) == []
    with sqlite3.connect(db) as connection:
        joined = connection.execute(
            "SELECT s.document, s.quantity, s.quantity_start FROM sources s JOIN facts f ON s.fact_id = f.id "
            "WHERE f.metric_id = 'invention_patents_per_10k_people' ORDER BY s.id"
        ).fetchall()
    assert joined == [("a.txt", "31.24件", 20), ("b.txt", "31.24件", 7)]


def test_a_second_run_adds_no_duplicate_and_new_articles_add_to_it(tmp_path):
    db = tmp_path / "facts.sqlite"
    update_db(db, FIRST_RUN)
    before = dump(db)
    again = update_db(db, FIRST_RUN)
    assert (again.sources_added, again.sources_unchanged, again.facts_added, again.facts_total) == (0, 3, 0, 2)
    assert dump(db) == before
    more = update_db(db, FIRST_RUN + NEW_ARTICLES)  # the old articles again, with new ones
    assert (more.sources_added, more.sources_unchanged, more.facts_added, more.sources_total, more.facts_total) == (2, 3, 1, 5, 3)
    per_10k = next(f for f in facts_rows(db) if f["place_code"] == "430200" and f["metric_id"] == "invention_patents_per_10k_people")
    assert per_10k["n_documents"] == 3 and per_10k["value"] == 31.24 and per_10k["conflict"] == 0
    with sqlite3.connect(db) as connection:
        duplicates = connection.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM sources GROUP BY document, quantity_start, quantity_end HAVING COUNT(*) > 1)"
        ).fetchone()[0]
    assert duplicates == 0


def test_the_database_equals_the_table_of_all_its_sources(tmp_path):
    db = tmp_path / "facts.sqlite"
    update_db(db, FIRST_RUN)
    update_db(db, NEW_ARTICLES)
    frame = read_db(db)
    expected = rows_to_frame(group_facts(FIRST_RUN + NEW_ARTICLES))
    assert tuple(frame.columns) == TABLE_COLUMNS
    assert frame.to_json() == expected.to_json()
    assert [document for document, _ in read_db_sources(db)] == ["a.txt", "a.txt", "b.txt", "c.txt", "d.txt"]


def test_a_source_read_differently_replaces_the_earlier_reading(tmp_path):
    db = tmp_path / "facts.sqlite"
    update_db(db, FIRST_RUN)
    changed = [("a.txt", make_fact(quantity="35.12件", value=35.12, start=20))]  # the same span, read differently
    update = update_db(db, changed)
    assert (update.sources_added, update.sources_replaced, update.sources_total) == (0, 1, 3)
    per_10k = next(f for f in facts_rows(db) if f["metric_id"] == "invention_patents_per_10k_people")
    assert per_10k["conflict"] == 1 and json.loads(per_10k["values"]) == [31.24, 35.12]
    # a reading that moves to another key takes its source along; a fact left without sources goes
    moved = [("a.txt", make_fact(metric="发明专利授权量", metric_id="invention_patent_grants", metric_name="发明专利授权量",
                                 quantity="9286件", value=9286.0, start=40, period="2022", time="2022年"))]
    update_db(db, moved)
    assert {(f["metric_id"], f["period"]) for f in facts_rows(db)} == {
        ("invention_patents_per_10k_people", "2023"), ("invention_patent_grants", "2022"),
    }


def failing(sources, after, error):
    for index, source in enumerate(sources):
        if index == after:
            raise error
        yield source


@pytest.mark.parametrize("error", [RuntimeError("a document failed"), KeyboardInterrupt(), SystemExit(143)])
def test_an_interrupted_run_leaves_the_database_unchanged(tmp_path, error):
    db = tmp_path / "facts.sqlite"
    update_db(db, FIRST_RUN)
    before = dump(db)
    with pytest.raises(type(error)):
        update_db(db, failing(NEW_ARTICLES + [("e.txt", make_fact())], 2, error))
    assert dump(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.sqlite"]
    assert update_db(db, FIRST_RUN).sources_added == 0  # and it is still usable


def test_an_interrupted_first_run_leaves_no_database(tmp_path):
    db = tmp_path / "facts.sqlite"
    with pytest.raises(RuntimeError):
        update_db(db, failing(FIRST_RUN, 2, RuntimeError("midway")))
    assert list(tmp_path.iterdir()) == []


def test_a_killed_run_leaves_the_database_unchanged(tmp_path):
    """SIGKILL midway: no handler runs, SQLite's journal rolls the transaction back on the next open."""
    db = tmp_path / "facts.sqlite"
    update_db(db, FIRST_RUN)
    before = dump(db)
    marker = tmp_path / "midway"
    script = textwrap.dedent(f"""
        import pathlib, time
        from ipner.tabledb import update_db
        from tests.test_tabledb import NEW_ARTICLES

        def slow():
            yield from NEW_ARTICLES
            pathlib.Path({str(marker)!r}).write_text("x")
            time.sleep(60)

        update_db({str(db)!r}, slow())
    """)
    process = subprocess.Popen([sys.executable, "-c", script], cwd=REPO)
    try:
        deadline = time.time() + 60
        while not marker.exists() and time.time() < deadline:
            time.sleep(0.05)
        assert marker.exists()
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(30)
    assert dump(db) == before
    assert update_db(db, NEW_ARTICLES).sources_added == 2


def test_files_that_are_not_a_facts_database_are_refused(tmp_path):
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database at all, just some text that is long enough" * 20, encoding="utf-8")
    with pytest.raises(UsageError, match="SQLite database"):
        update_db(text, FIRST_RUN)
    assert text.read_text(encoding="utf-8").startswith("not a database")
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE people (name TEXT)")
    before = dump(other)
    with pytest.raises(UsageError, match="not a facts database"):
        update_db(other, FIRST_RUN)
    assert dump(other) == before
    with pytest.raises(UsageError, match="directory"):
        update_db(tmp_path, FIRST_RUN)
