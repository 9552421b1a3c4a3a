"""Execute the notebooks in notebooks/ from a clean state and check what their key cells show.

``execute_notebook(name)`` runs one notebook with the kernel of the interpreter running the
tests and returns it executed; each notebook then gets its own checks below.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"

#: Notebooks that are executed by ``test_notebook_runs``; add new ones here.
NOTEBOOK_NAMES = ["quickstart.ipynb", "finetune.ipynb"]

#: Notebooks that need the trained pipeline shipped in ``ipner/resources/model``.
NEEDS_TRAINED_MODEL = {"finetune.ipynb"}


def _kernel_name() -> str:
    """``python3`` when a kernel spec of that name is installed (ipykernel ships one with the venv)."""
    from jupyter_client.kernelspec import NoSuchKernel, get_kernel_spec

    try:
        get_kernel_spec("python3")
    except NoSuchKernel:
        pytest.skip(f"no 'python3' Jupyter kernel for {sys.executable}; install ipykernel in this environment")
    return "python3"


def execute_notebook(name: str):
    """Execute ``notebooks/<name>`` with its folder as working directory; return the executed
    ``nbformat.NotebookNode`` (a cell error raises ``nbclient.exceptions.CellExecutionError``)."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")

    path = NOTEBOOKS / name
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name=_kernel_name(), resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.execute()
    return nb


def cell_outputs(nb, mime: str) -> list[tuple[int, str]]:
    """``(cell index, data)`` for every output of the code cells that carries ``mime``."""
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = output.get("data", {})
            if mime in data:
                found.append((index, data[mime]))
    return found


def stream_texts(nb) -> list[tuple[int, str]]:
    """``(cell index, text)`` for every stdout/stderr stream output of the code cells."""
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "stream":
                found.append((index, output.get("text", "")))
    return found


def _assert_no_errors(nb) -> None:
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", (
                f"cell {index} raised {output.get('ename')}: {output.get('evalue')}"
            )


def _check_quickstart(nb) -> None:
    dataframe_cells = [i for i, cell in enumerate(nb.cells) if "facts = pd.DataFrame(" in cell.source]
    assert dataframe_cells, "the facts DataFrame cell is missing"
    tables = [html for i, html in cell_outputs(nb, "text/html") if i == dataframe_cells[0]]
    assert tables and "<table" in tables[0], "the DataFrame cell did not display a table"
    body = tables[0].split("<tbody>", 1)[-1]
    assert "<tr>" in body, "the facts table has no rows"

    city_cells = [i for i, cell in enumerate(nb.cells) if "ipner.facts_table(" in cell.source]
    assert city_cells, "the city table cell is missing"
    city_tables = [html for i, html in cell_outputs(nb, "text/html") if i == city_cells[0]]
    assert city_tables and "市" in city_tables[0], "the city table shows no city"
    chart_cells = [i for i, cell in enumerate(nb.cells) if "plot_metric(" in cell.source]
    assert chart_cells, "the chart cell is missing"
    assert any(i == chart_cells[0] for i, _ in cell_outputs(nb, "image/png")), "the chart cell drew no image"


def _check_finetune(nb) -> None:
    streams = stream_texts(nb)
    printed = "\n".join(text for _, text in streams)
    assert "AnnotationError" in printed, "the notebook did not show the AnnotationError of the bad file"
    assert re.search(r"labels outside SCHEMA\.md: BRAND \(1×\)", printed), (
        "the AnnotationError problems do not name the unknown label BRAND"
    )

    comparison_cells = [i for i, cell in enumerate(nb.cells)
                        if 'format_comparison({"before": before, "after": after})' in cell.source]
    assert comparison_cells, "the before/after comparison cell is missing"
    shown = "\n".join(text for i, text in streams if i == comparison_cells[0])
    header = shown.splitlines()[0].split() if shown.strip() else []
    assert header == ["before", "after"], f"the comparison cell printed no before/after table: {shown[:200]!r}"
    assert "facts" in shown and "NER micro" in shown, "the before/after table lacks its rows"
    assert "original dev split" in printed, "the original dev before/after is missing"

    markdown = "\n".join(str(data) for _, data in cell_outputs(nb, "text/markdown"))
    assert re.search(r"fine-tuned in \d+ s", printed + "\n" + markdown), "the elapsed fine-tuning time is not shown"


CHECKS = {"quickstart.ipynb": _check_quickstart, "finetune.ipynb": _check_finetune}


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_notebook_runs(name):
    if name in NEEDS_TRAINED_MODEL:
        from ipner.pipeline.load import default_model_path

        if default_model_path() is None:
            pytest.skip(f"{name} fine-tunes the shipped trained pipeline, and none is in ipner/resources/model "
                        "(the rule baseline cannot be fine-tuned)")
    nb = execute_notebook(name)
    _assert_no_errors(nb)
    CHECKS.get(name, lambda nb: None)(nb)


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_stored_notebooks_are_executed(name):
    """Readers on a code host see the outputs: every code cell of the stored copy ran, in order
    (tools/execute_notebooks.py stores them), and the quickstart keeps its chart."""
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    counts = [cell.get("execution_count") for cell in nb.cells if cell.cell_type == "code"]
    assert counts and all(counts) and counts == sorted(counts)
    if name == "quickstart.ipynb":
        assert cell_outputs(nb, "image/png")
