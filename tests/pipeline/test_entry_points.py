"""A saved ipner pipeline loads with plain spacy.load in a process that never imports ipner."""
import json
import subprocess
import sys


def test_saved_baseline_loads_without_importing_ipner(baseline_nlp, tmp_path):
    path = tmp_path / "baseline"
    baseline_nlp.to_disk(path)
    code = (
        "import json, sys, spacy;"
        "before = 'ipner' in sys.modules;"
        f"nlp = spacy.load(r'{path}');"
        "doc = nlp('2023年,杭州发明专利授权量9286件。');"
        "print(json.dumps({'ipner_imported_first': before, 'facts': [f.to_dict() for f in doc._.facts],"
        " 'pipe': nlp.pipe_names}, ensure_ascii=False))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
    result = json.loads(out)
    assert result["pipe"] == ["ipner_rule_entities", "ipner_rule_linker", "ipner_facts"]
    assert result["ipner_imported_first"] is False
    assert result["facts"][0]["quantity"]["value"] == 9286
