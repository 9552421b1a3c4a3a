"""Execute the notebooks in place, so that readers on a code host see their tables and charts.

    python tools/execute_notebooks.py            # every notebook in notebooks/
    python tools/execute_notebooks.py quickstart.ipynb   # or notebooks/quickstart.ipynb

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
    names = [Path(arg).name for arg in sys.argv[1:]] or sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    missing = [name for name in names if not (NOTEBOOKS / name).is_file()]
    if missing:
        sys.exit(f"no such notebook in {NOTEBOOKS}: {', '.join(missing)}")
    for name in names:
        execute(NOTEBOOKS / name)
