"""Execute the notebooks in place, so that readers on a code host see their tables and charts.

    python tools/execute_notebooks.py            # every notebook in notebooks/
    python tools/execute_notebooks.py quickstart.ipynb

Run it after a change to the model or to what a notebook shows; the tests execute the notebooks
again from a clean state and check that the stored copies are executed.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbclient
import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def execute(path: Path) -> None:
    """Run ``path`` top to bottom with its folder as working directory and save it with its outputs."""
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(nb, path)
    print(f"executed {path}")


if __name__ == "__main__":
    names = sys.argv[1:] or sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    for name in names:
        execute(NOTEBOOKS / name)
