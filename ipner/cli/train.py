"""``python -m ipner train``: train a pipeline from a config with spaCy's loop and ipner registered.

Example: ``python -m ipner train configs/cnn.cfg --output training/cnn --ship``. spaCy config
overrides follow ``--``: ``python -m ipner train configs/cnn.cfg -o out -- --training.max_steps 200``.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "configs" / "cnn.cfg"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("train", help="train a pipeline (default configs/cnn.cfg)", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("config", nargs="?", default=str(DEFAULT_CONFIG), help="spaCy config (default: configs/cnn.cfg)")
    parser.add_argument("-o", "--output", required=True, help="output directory (model-best, model-last, training.json)")
    parser.add_argument("--seed", type=int, help="random seed (overrides [system] seed)")
    parser.add_argument("--gpu-id", type=int, default=-1, help="GPU id, -1 for CPU (default)")
    parser.add_argument("--ship", action="store_true", help="copy model-best to the package's default model directory")
    parser.add_argument("-q", "--quiet", action="store_true", help="no training log")
    parser.set_defaults(run=run, accepts_overrides=True)


def parse_overrides(args: list[str]) -> dict:
    """spaCy-style ``--section.key value`` pairs (the arguments after ``--``)."""
    from spacy.cli._util import parse_config_overrides

    return parse_config_overrides(args)


def run(args: argparse.Namespace) -> int:
    from ipner.pipeline.load import DEFAULT_MODEL_DIR
    from ipner.training.train import replace_directory, train_pipeline

    config = Path(args.config)
    if not config.is_file():
        print(f"ipner: error: config not found: {config}", file=sys.stderr)
        return 2
    try:
        overrides = parse_overrides(args.overrides)
    except SystemExit:
        print("ipner: error: overrides must be --section.key value pairs", file=sys.stderr)
        return 2
    if args.seed is not None:
        overrides["system.seed"] = args.seed
    from thinc.api import ConfigValidationError

    try:
        summary = train_pipeline(config, args.output, overrides, use_gpu=args.gpu_id, quiet=args.quiet)
    except SystemExit as err:  # spaCy reports config and data problems with msg.fail(..., exits=1)
        print(f"ipner: error: training stopped (spaCy exit {err.code}); see the messages above", file=sys.stderr)
        return 1
    except ConfigValidationError as err:
        print(f"ipner: error: invalid config:\n{err}", file=sys.stderr)
        return 1
    if "threshold" in summary:
        t = summary["threshold"]
        print(f"relation threshold tuned on dev: {t['chosen']} (relation micro F {t['dev_rel_micro_f']:.3f} on {t['dev_docs']} docs)")
    if args.ship:
        target = replace_directory(Path(args.output) / "model-best", DEFAULT_MODEL_DIR)
        print(f"shipped to {target}")
    if not args.quiet:
        print(json.dumps({"output": str(Path(args.output) / "model-best")}))
    return 0
