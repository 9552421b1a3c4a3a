"""``python -m ipner render``: the HTML page of entities, relations and facts."""
import re

import pytest

from ipner.cli import main
from ipner.pipeline.batch import InputDocument, iter_results


def _results(nlp, text):
    entities, relations, facts = [], [], []
    for chunk in iter_results(nlp, [InputDocument("t", text)]):
        entities += chunk.entities
        relations += chunk.relations
        facts += [f.to_dict() for f in chunk.facts]
    return entities, relations, facts


def _shown(value):
    return str(int(value)) if float(value).is_integer() else str(value)


def test_render_seed_report(tmp_path, seed_paths, baseline_nlp, capsys):
    path = seed_paths[0]
    out = tmp_path / "out.html"
    assert main(["render", "--model", "baseline", str(path), "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page  # self-contained, static

    entities, relations, facts = _results(baseline_nlp, path.read_text(encoding="utf-8"))
    assert facts and relations
    marks = re.findall(r'<mark class="entity"[^>]*>\s*(.*?)\s*<span[^>]*>(\w+)</span>', page, re.S)
    assert len(marks) == len(entities)
    assert {label for _, label in marks} == {e["label"] for e in entities}
    assert [text for text, _ in marks][:5] == [e["text"] for e in entities][:5]

    rows = re.findall(r"<tr title=[^>]*>(.*?)</tr>", page)
    assert len(rows) == len(facts)
    for row, fact in zip(rows, facts):
        cells = dict(re.findall(r'<td class="(\w+)">(.*?)</td>', row))
        assert cells["metric"] == fact["metric"]["text"]
        assert cells["value"] == _shown(fact["quantity"]["value"])
        assert cells["kind"] == fact["quantity"]["kind"]
        assert cells["subject"] == (fact["subject"] or {}).get("text", "")

    # relation arcs: displaCy dep diagrams labelled with the relation names
    assert "<svg" in page
    arc_labels = set(re.findall(r'class="displacy-label"[^>]*>(\w+)</textPath>', page))
    assert arc_labels == {r["label"] for r in relations}


def test_html_is_escaped(tmp_path, capsys):
    path = tmp_path / "a<b>.txt"
    path.write_text("<script>alert(1)</script>\n2023年,杭州发明专利授权量9286件 <b>。", encoding="utf-8")
    assert main(["render", "--model", "baseline", str(path)]) == 0
    page = capsys.readouterr().out
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "a&lt;b&gt;.txt" in page
    assert '<td class="value">9286</td>' in page


def test_bad_input_is_named_and_the_others_rendered(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("2023年,杭州发明专利授权量9286件。", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.bin"
    binary.write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    out = tmp_path / "out.html"
    code = main(["render", "--model", "baseline", str(tmp_path / "missing.txt"), str(empty), str(binary), str(good), "-o", str(out)])
    assert code == 1
    err = capsys.readouterr().err
    assert "ipner: error:" in err and "missing.txt" in err and "binary.bin" in err and "Traceback" not in err
    page = out.read_text(encoding="utf-8")
    assert page.count('<section class="document"') == 2
    assert str(good) in page and str(empty) in page and "(empty document)" in page
    assert '<td class="value">9286</td>' in page
    assert "missing.txt: no such file" in page  # listed on the page too


def test_usage_errors_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["render"])
    assert exc.value.code == 2
    assert main(["render", "--model", "/nonexistent/model", str(tmp_path / "x.txt")]) == 2
    assert "cannot load model" in capsys.readouterr().err


def test_facts_table_shows_canonical_place_metric_and_period(tmp_path, capsys):
    text = tmp_path / "a.txt"
    text.write_text("2024年,長沙每萬人有效發明專利擁有量增至72.42件。", encoding="utf-8")
    out = tmp_path / "page.html"
    assert main(["render", str(text), "-o", str(out)]) == 0
    row = re.findall(r"<tr title=[^>]*>(.*?)</tr>", out.read_text(encoding="utf-8"))[0]
    cells = dict(re.findall(r'<td class="(\w+)">(.*?)</td>', row))
    assert cells["place"] == "长沙市 (430100)"
    assert cells["canonical_metric"] == "每万人口有效发明专利拥有量"
    assert cells["period"] == "2024"
