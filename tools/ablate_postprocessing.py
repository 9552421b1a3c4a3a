"""Ablation of the post-processing levers (span repair, subject fallbacks, lexicon METRIC fill) on
trained models, without retraining: leave-one-report-out on the five seed reports with the fold models
of an earlier ``python -m ipner evaluate --loro --work-dir DIR`` run, and the dev split with a model.

    python tools/ablate_postprocessing.py training/loro_pp -o training/results/ablation_postprocessing.json
    python tools/ablate_postprocessing.py training/loro_cnt0 training/loro_cnt1 training/loro_cnt2 \
        --dev-model ipner/resources/model --dev-model training/cnn/model-best \
        --variant "rounds one to ten" --variant "rounds one to ten + metric_in_sentence" \
        --variant "rounds one to ten + metric_in_sentence + time_in_sentence" \
        --variant "rounds one to eleven" -o training/results/ablation_postprocessing_round11.json
    python tools/ablate_postprocessing.py training/loro_cnt0 training/loro_cnt1 training/loro_cnt2 \
        --dev-model ipner/resources/model --variant "rounds one to eleven" \
        --variant "rounds one to eleven + skip_captions" --variant "rounds one to eleven + skip_captions + datelines" \
        --variant "rounds one to twelve" \
        -o training/results/ablation_postprocessing_round12.json
    python tools/ablate_postprocessing.py training/loro_cnt0 training/loro_cnt1 training/loro_cnt2 \
        --dev-model ipner/resources/model --variant "rounds one to twelve" \
        --variant "rounds one to twelve + item_numbers" --variant "rounds one to thirteen" \
        -o training/results/ablation_postprocessing_round13.json
    python tools/ablate_postprocessing.py training/loro_cnt0 training/loro_cnt1 \
        --dev-model ipner/resources/model --variant "rounds one to thirteen" \
        --variant "rounds one to thirteen + official_speakers" --variant "rounds one to thirteen + respective" \
        --variant "rounds one to fourteen" -o training/results/ablation_postprocessing_round14.json
    python tools/ablate_postprocessing.py training/loro_cnt0 training/loro_cnt1 \
        --dev-model ipner/resources/model --variant "rounds one to fourteen" \
        --variant "rounds one to fourteen + span additions" --variant "rounds one to fourteen + clause_subject" \
        --variant "rounds one to fourteen + list_metric" --variant "rounds one to fifteen" \
        --probe annotations/probes/tuning_short.txt --probe annotations/probes/tuning_long.txt \
        --probe annotations/probes/heldout_short.txt --probe annotations/probes/heldout_long.txt \
        -o training/results/ablation_postprocessing_round15.json
    python tools/ablate_postprocessing.py training/loro_cnt0 training/loro_cnt1 \
        --dev-model ipner/resources/model --variant "rounds one to fifteen" \
        --variant "rounds one to fifteen + list_headings" --variant "rounds one to fifteen + list_subject_time" \
        --variant "rounds one to sixteen (shipped)" \
        --probe annotations/probes/tuning_short.txt --probe annotations/probes/tuning_long.txt \
        --probe annotations/probes/heldout_short.txt --probe annotations/probes/heldout_long.txt \
        -o training/results/ablation_postprocessing_round16.json

Each variant switches levers on the same trained models, so the differences are the levers' alone.
The second round (``item_stops``, ``section_city``, ``place_repair``, ``date_range``, ``award_join``; see
:func:`configure`) is measured on top of the four shipped levers, the third (``quoted_name``,
``deictic_city``) on top of the second, the fourth (``drop_unmeasured_metrics``, ``government_bodies``) on
top of the third, and the fifth (``org_aliases``) on top of the fourth; ``metric_in_sentence``,
``time_in_sentence`` and ``edition_ordinal`` (2026-12-01's eleventh round) one by one on top of all of them,
with the code of rounds six to ten, which has no switch, and ``skip_captions``, ``datelines`` and
``coordinated_metrics`` (the twelfth) one by one on top of the eleventh, and ``item_numbers`` and
``nearest_mention`` (2026-12-02's thirteenth) one by one on top of the twelfth, and ``official_speakers`` and
``respective`` (with the kinds of patent listed before 分别, ``patent_type_lists``; the fourteenth) on top of the
thirteenth, and the fifteenth's on top of the fourteenth: ``clause_subject`` and ``list_metric`` (settings) and the
span additions (``field_metrics``, ``list_introducers``, ``ip_centres``, ``table_cells``, ``person_names``) with
``ranked_lists``, and the sixteenth's on top of the fifteenth: ``list_subject_time`` (a setting) and ``list_headings``
(headings between a list's items), each alone and both (shipped). Several work dirs (the fold models of several
seeds) are each scored, none to score only dev and the probes, and several ``--dev-model`` pipelines on dev.
``lexicon_fill`` (rejected: it lowers dev) adds the rule recogniser's METRIC spans where the model
found no entity and drops those no figure takes as its metric; it exists only here, as an experiment.
"""
from __future__ import annotations

import argparse
import datetime
import json
import re
import subprocess
from bisect import bisect_left
from pathlib import Path

import spacy
from spacy.language import Language

import ipner.pipeline  # noqa: F401  (registers ipner's factories)
import ipner.pipeline.additions as additions_module
import ipner.pipeline.facts as facts_module
import ipner.pipeline.span_repair as span_repair_module
from ipner.data.authoring import parse_file
from ipner.data.gold import read_gold
from ipner.files import atomic_output
from ipner.pipeline.load import load
from ipner.pipeline.rule_entities import RuleEntityRecognizer
from ipner.resources import default_corpus_path
from ipner.training.evaluate import evaluate_pipeline, merge_results

_ITEM_START = facts_module._ITEM_START
_NAMED_AFTER_A_PLACE = span_repair_module._NAMED_AFTER_A_PLACE
_QUOTED_NAME_REST = span_repair_module._QUOTED_NAME_REST
_GOVERNMENT_BODY = span_repair_module._GOVERNMENT_BODY
_ALIAS_DEFINITION = span_repair_module._ALIAS_DEFINITION
_EDITION_ORDINAL_BEFORE = span_repair_module._EDITION_ORDINAL_BEFORE
_ITEM_NUMBER = span_repair_module._ITEM_NUMBER
_DATELINE = additions_module._DATELINE
_COORDINATED_NAME = additions_module._COORDINATED_NAME
_PATENT_TYPE_LIST = additions_module._PATENT_TYPE_LIST
_OFFICIAL_SPEAKS = facts_module.official_speaks
_FIELD_METRIC = additions_module._FIELD_METRIC
_INTRODUCED_NAME = additions_module._INTRODUCED_NAME
_IP_CENTRE_REST = span_repair_module._IP_CENTRE_REST
_TABLE_CELL = span_repair_module._table_cell
_SURNAMES = span_repair_module._SURNAMES
_RANKED_ABOVE = facts_module._RANKED_ABOVE
_LIST_HEADING = facts_module._LIST_HEADING

SUBJECT_FALLBACKS = ("skip_sources", "document_subject", "province_as_base")
#: The levers of 2026-12-02's sixteenth round, measured on top of the fifteenth; off unless a variant sets them.
ROUND_SIXTEEN = ("list_subject_time", "list_headings")
#: The levers of 2026-12-02's fifteenth round, measured on top of the fourteenth; off unless a variant sets them.
ROUND_FIFTEEN_ADDITIONS = ("field_metrics", "list_introducers", "ip_centres", "table_cells", "person_names", "ranked_lists")
ROUND_FIFTEEN = ("clause_subject", "list_metric", *ROUND_FIFTEEN_ADDITIONS)
#: The levers of 2026-12-02's fourteenth round, measured on top of the thirteenth; off unless a variant sets them.
ROUND_FOURTEEN = ("official_speakers", "respective", "patent_type_lists")
#: The levers of 2026-12-02's thirteenth round, measured on top of the twelfth; off unless a variant sets them.
ROUND_THIRTEEN = ("item_numbers", "nearest_mention")
#: The levers of 2026-12-01's twelfth round, measured on top of the eleventh; off unless a variant sets them.
ROUND_TWELVE = ("skip_captions", "datelines", "coordinated_metrics")
#: The levers of 2026-12-01's eleventh round, measured on top of all the others; off unless a variant sets them.
ROUND_ELEVEN = ("metric_in_sentence", "time_in_sentence", "edition_ordinal")
#: The lever of 2026-11-30's fifth round, measured on top of the fourth; off unless a variant sets it.
ROUND_FIVE = ("org_aliases",)
#: The levers of 2026-11-30's fourth round, measured on top of the third; off unless a variant sets them.
ROUND_FOUR = ("drop_unmeasured_metrics", "government_bodies")
#: The levers of 2026-11-30's third round, measured on top of the second; off unless a variant sets them.
ROUND_THREE = ("quoted_name", "deictic_city")
#: The levers of 2026-11-30's second round, measured on top of the first four; off unless a variant sets them.
ROUND_TWO = ("item_stops", "section_city", "place_repair", "date_range", "award_join")
FOUR = {**dict.fromkeys(SUBJECT_FALLBACKS, True), "span_repair": True}
VARIANTS: dict[str, dict[str, bool]] = {
    "none": {},
    "skip_sources": {"skip_sources": True},
    "document_subject": {"document_subject": True},
    "province_as_base": {"province_as_base": True},
    "span_repair": {"span_repair": True},
    "subject fallbacks": dict.fromkeys(SUBJECT_FALLBACKS, True),
    "all four": FOUR,
    "all four + lexicon_fill (rejected)": {**FOUR, "lexicon_fill": True},
    # the second round: the four levers above, and then these added one by one
    "all four + item_stops": {**FOUR, "item_stops": True},
    "all four + section_city": {**FOUR, "section_city": True},
    "all four + item_stops + section_city": {**FOUR, "item_stops": True, "section_city": True},
    "all four + place_repair": {**FOUR, "place_repair": True},
    "all four + item_stops + section_city + place_repair": {**FOUR, **dict.fromkeys(ROUND_TWO[:3], True)},
    "all four + date_range": {**FOUR, "date_range": True},
    "all four + award_join": {**FOUR, "award_join": True},
    "all four + all of round two": {**FOUR, **dict.fromkeys(ROUND_TWO, True)},
    # the third round, on top of the second
    "rounds one and two + quoted_name": {**FOUR, **dict.fromkeys(ROUND_TWO, True), "quoted_name": True},
    "rounds one and two + deictic_city": {**FOUR, **dict.fromkeys(ROUND_TWO, True), "deictic_city": True},
    "rounds one, two and three": {**FOUR, **dict.fromkeys(ROUND_TWO + ROUND_THREE, True)},
    # the fourth round, on top of the third
    "rounds one to three + drop_unmeasured_metrics": {**FOUR, **dict.fromkeys(ROUND_TWO + ROUND_THREE, True), "drop_unmeasured_metrics": True},
    "rounds one to three + government_bodies": {**FOUR, **dict.fromkeys(ROUND_TWO + ROUND_THREE, True), "government_bodies": True},
    "rounds one to four": {**FOUR, **dict.fromkeys(ROUND_TWO + ROUND_THREE + ROUND_FOUR, True)},
    # the fifth round, on top of the fourth
    # rounds six to ten changed code that has no switch: this is also the pipeline before the eleventh round
    "rounds one to ten": {**FOUR, **dict.fromkeys(ROUND_TWO + ROUND_THREE + ROUND_FOUR + ROUND_FIVE, True)},
    "rounds one to ten + metric_in_sentence": {
        **FOUR, **dict.fromkeys(ROUND_TWO + ROUND_THREE + ROUND_FOUR + ROUND_FIVE, True), "metric_in_sentence": True,
    },
    "rounds one to ten + metric_in_sentence + time_in_sentence": {
        **FOUR, **dict.fromkeys(ROUND_TWO + ROUND_THREE + ROUND_FOUR + ROUND_FIVE + ROUND_ELEVEN[:2], True),
    },
    "rounds one to eleven": {
        **FOUR, **dict.fromkeys(ROUND_TWO + ROUND_THREE + ROUND_FOUR + ROUND_FIVE + ROUND_ELEVEN, True),
    },
    "rounds one to eleven + skip_captions": {
        **FOUR, **dict.fromkeys(ROUND_TWO + ROUND_THREE + ROUND_FOUR + ROUND_FIVE + ROUND_ELEVEN, True), "skip_captions": True,
    },
    "rounds one to eleven + skip_captions + datelines": {
        **FOUR, **dict.fromkeys(ROUND_TWO + ROUND_THREE + ROUND_FOUR + ROUND_FIVE + ROUND_ELEVEN + ROUND_TWELVE[:2], True),
    },
    "rounds one to twelve": {
        **FOUR, **dict.fromkeys(ROUND_TWO + ROUND_THREE + ROUND_FOUR + ROUND_FIVE + ROUND_ELEVEN + ROUND_TWELVE, True),
    },
    "rounds one to twelve + item_numbers": {
        **FOUR, **dict.fromkeys(ROUND_TWO + ROUND_THREE + ROUND_FOUR + ROUND_FIVE + ROUND_ELEVEN + ROUND_TWELVE, True),
        "item_numbers": True,
    },
    "rounds one to thirteen": {
        **FOUR, **dict.fromkeys(
            ROUND_TWO + ROUND_THREE + ROUND_FOUR + ROUND_FIVE + ROUND_ELEVEN + ROUND_TWELVE + ROUND_THIRTEEN, True,
        ),
    },
    "rounds one to thirteen + official_speakers": {
        **FOUR, **dict.fromkeys(
            ROUND_TWO + ROUND_THREE + ROUND_FOUR + ROUND_FIVE + ROUND_ELEVEN + ROUND_TWELVE + ROUND_THIRTEEN, True,
        ),
        "official_speakers": True,
    },
    "rounds one to thirteen + respective": {
        **FOUR, **dict.fromkeys(
            ROUND_TWO + ROUND_THREE + ROUND_FOUR + ROUND_FIVE + ROUND_ELEVEN + ROUND_TWELVE + ROUND_THIRTEEN, True,
        ),
        "respective": True, "patent_type_lists": True,
    },
    "rounds one to fourteen": {
        **FOUR, **dict.fromkeys(
            ROUND_TWO + ROUND_THREE + ROUND_FOUR + ROUND_FIVE + ROUND_ELEVEN + ROUND_TWELVE + ROUND_THIRTEEN
            + ROUND_FOURTEEN, True,
        ),
    },
    # the fifteenth round, on top of the fourteenth
    **{
        f"rounds one to fourteen + {name}": {
            **FOUR, **dict.fromkeys(
                ROUND_TWO + ROUND_THREE + ROUND_FOUR + ROUND_FIVE + ROUND_ELEVEN + ROUND_TWELVE + ROUND_THIRTEEN
                + ROUND_FOURTEEN + levers, True,
            ),
        }
        for name, levers in (
            ("span additions", ROUND_FIFTEEN_ADDITIONS), ("clause_subject", ("clause_subject",)),
            ("list_metric", ("list_metric",)),
        )
    },
    "rounds one to fifteen": {
        **FOUR, **dict.fromkeys(
            ROUND_TWO + ROUND_THREE + ROUND_FOUR + ROUND_FIVE + ROUND_ELEVEN + ROUND_TWELVE + ROUND_THIRTEEN
            + ROUND_FOURTEEN + ROUND_FIFTEEN, True,
        ),
    },
    # the sixteenth round, on top of the fifteenth
    **{
        f"rounds one to fifteen + {name}": {
            **FOUR, **dict.fromkeys(
                ROUND_TWO + ROUND_THREE + ROUND_FOUR + ROUND_FIVE + ROUND_ELEVEN + ROUND_TWELVE + ROUND_THIRTEEN
                + ROUND_FOURTEEN + ROUND_FIFTEEN + levers, True,
            ),
        }
        for name, levers in (("list_headings", ("list_headings",)), ("list_subject_time", ("list_subject_time",)))
    },
    "rounds one to sixteen (shipped)": {
        **FOUR, **dict.fromkeys(
            ROUND_TWO + ROUND_THREE + ROUND_FOUR + ROUND_FIVE + ROUND_ELEVEN + ROUND_TWELVE + ROUND_THIRTEEN
            + ROUND_FOURTEEN + ROUND_FIFTEEN + ROUND_SIXTEEN, True,
        ),
    },
}


@Language.factory("ablation_lexicon_fill")
def _lexicon_fill(nlp: Language, name: str):
    recogniser = RuleEntityRecognizer(nlp, name, overwrite=False)

    def fill(doc):
        from ipner.pipeline.rule_entities import _select
        from ipner.text.normalize import normalize_text

        norm = normalize_text(doc.text)
        spans = [s for s in _select(doc, len(norm), recogniser.candidates(doc, norm)) if s.label_ == "METRIC"]
        added = [s for s in spans if not any(s.start < e.end and e.start < s.end for e in doc.ents)]
        doc.ents = list(doc.ents) + added
        doc.spans["ablation_fill"] = added
        return doc

    return fill


@Language.factory("ablation_prune_fill")
def _prune_fill(nlp: Language, name: str):
    def prune(doc):
        added = {(s.start, s.end) for s in doc.spans.get("ablation_fill", [])}
        if added:
            ents = list(doc.ents)
            used = {(ents[r["child"]].start, ents[r["child"]].end) for r in doc._.relations}
            doc.ents = [e for e in ents if (e.start, e.end) not in added or (e.start, e.end) in used]
        return doc

    return prune


def configure(nlp: Language, levers: dict[str, bool]) -> None:
    """Switch the levers of ``nlp`` in place.

    The levers of rounds two to five and eleven to fifteen are off unless a variant switches them on; eighteen of them
    are not settings but how a component behaves, so they are switched off here by patching its module: ``item_stops``
    (a slot is not carried into a new list item), ``award_join`` (a place joins the award named after it),
    ``quoted_name`` (a place that opens a quoted name is dropped), ``government_bodies`` (宁波市委 is an ORG),
    ``org_aliases`` (an alias defined after an ORG, （下称“中车株洲所”）, is an ORG where it is used),
    ``edition_ordinal`` (a METRIC begun at 届 or 批 takes in the ordinal before it, 首 + 届浙江省知识产权奖),
    ``datelines`` (a dateline's date is a DATE and its clock time no entity, 2024-04-24 10:30),
    ``item_numbers`` (the number that opens a heading or a list item is no QUANTITY, ### 1 发明…),
    ``coordinated_metrics`` (the name listed over 、 after a METRIC's figure is a METRIC, …28家、示范企业11家) and
    ``patent_type_lists`` (the kinds of patent listed before 分别 are a METRIC each) by a pattern that never matches,
    ``official_speakers`` (a government body whose official speaks after its name is a source) by a test that is
    never true, ``field_metrics`` (轴承领域专利授权量 + figure is one METRIC) and ``list_introducers`` (…发明专利授权量如下： names a
    METRIC) by a pattern that never matches, ``ip_centres`` (漯河市 + 知识产权公共服务中心 is one ORG) likewise, ``table_cells``
    (a figure in a table's cell loses its column bar, 3471 tagged DATE is a QUANTITY) by leaving every entity as it is,
    ``person_names`` (海宁 in 副局长陈海宁 is no place) by a surname list that is empty, ``ranked_lists`` (the places listed
    after 仅次于 are ranked above the holder, not only the first, and no city 全市 refers back to) by the pattern before it,
    ``list_headings`` (a short heading line between a list's items does not end the block) by a heading pattern that
    never matches,
    ``section_city`` (the document subject is the city named last before the
    figure, not the most named one) by a search that finds no city before the figure, which is the
    behaviour before it.
    """
    facts_module._ITEM_START = _ITEM_START if levers.get("item_stops", False) else re.compile(r"(?!)")
    span_repair_module._NAMED_AFTER_A_PLACE = _NAMED_AFTER_A_PLACE if levers.get("award_join", False) else re.compile(r"(?!)")
    span_repair_module._QUOTED_NAME_REST = _QUOTED_NAME_REST if levers.get("quoted_name", False) else re.compile(r"(?!)")
    span_repair_module._GOVERNMENT_BODY = _GOVERNMENT_BODY if levers.get("government_bodies", False) else re.compile(r"(?!)")
    span_repair_module._ALIAS_DEFINITION = _ALIAS_DEFINITION if levers.get("org_aliases", False) else re.compile(r"(?!)")
    span_repair_module._EDITION_ORDINAL_BEFORE = (
        _EDITION_ORDINAL_BEFORE if levers.get("edition_ordinal", False) else re.compile(r"(?!)")
    )
    span_repair_module._ITEM_NUMBER = _ITEM_NUMBER if levers.get("item_numbers", False) else re.compile(r"(?!)")
    additions_module._DATELINE = _DATELINE if levers.get("datelines", False) else re.compile(r"(?!)")
    additions_module._COORDINATED_NAME = _COORDINATED_NAME if levers.get("coordinated_metrics", False) else re.compile(r"(?!)")
    additions_module._PATENT_TYPE_LIST = _PATENT_TYPE_LIST if levers.get("patent_type_lists", False) else re.compile(r"(?!)")
    facts_module.official_speaks = _OFFICIAL_SPEAKS if levers.get("official_speakers", False) else (lambda norm, end: False)
    facts_module.bisect_left = bisect_left if levers.get("section_city", False) else (lambda starts, position: 0)
    additions_module._FIELD_METRIC = _FIELD_METRIC if levers.get("field_metrics", False) else re.compile(r"(?!)")
    additions_module._INTRODUCED_NAME = _INTRODUCED_NAME if levers.get("list_introducers", False) else re.compile(r"(?!)")
    span_repair_module._IP_CENTRE_REST = _IP_CENTRE_REST if levers.get("ip_centres", False) else re.compile(r"(?!)")
    span_repair_module._table_cell = _TABLE_CELL if levers.get("table_cells", False) else (lambda doc, norm, ent: ent)
    span_repair_module._SURNAMES = _SURNAMES if levers.get("person_names", False) else frozenset()
    facts_module._RANKED_ABOVE = (
        _RANKED_ABOVE if levers.get("ranked_lists", False) else re.compile(facts_module._SECOND_TO + "$")
    )
    facts_module._LIST_HEADING = _LIST_HEADING if levers.get("list_headings", False) else re.compile(r"(?!)")
    wanted = {
        "ipner_span_repair": levers.get("span_repair", False),
        "ablation_lexicon_fill": levers.get("lexicon_fill", False),
        "ablation_prune_fill": levers.get("lexicon_fill", False),
    }
    for name, on in wanted.items():
        if not on and name in nlp.pipe_names:
            nlp.remove_pipe(name)
    if wanted["ipner_span_repair"] and "ipner_span_repair" not in nlp.pipe_names:
        nlp.add_pipe("ipner_span_repair", after="ner")
    if wanted["ipner_span_repair"]:
        nlp.get_pipe("ipner_span_repair").repair_labels = (
            ["METRIC", "ORG"]
            + (["CITY", "REGION"] if levers.get("place_repair", False) else [])
            + (["DATE"] if levers.get("date_range", False) else [])
        )
    if wanted["ablation_lexicon_fill"] and "ablation_lexicon_fill" not in nlp.pipe_names:
        nlp.add_pipe("ablation_lexicon_fill", after="ipner_span_repair" if wanted["ipner_span_repair"] else "ner")
        nlp.add_pipe("ablation_prune_fill", after="ipner_relations")
    facts = nlp.get_pipe("ipner_facts")
    for name in (*SUBJECT_FALLBACKS, "deictic_city", "drop_unmeasured_metrics", "metric_in_sentence", "time_in_sentence",
                 "skip_captions", "nearest_mention", "respective", "clause_subject", "list_metric", "list_subject_time"):
        setattr(facts, name, levers.get(name, False))


def _summary(result: dict) -> dict:
    ner, rel = result["ner"], result["relations"]
    return {
        "fact": result["facts"], "relation_f": rel["micro"]["f"], "ner_f": ner["micro"]["f"],
        "metric_f": ner["per_label"]["METRIC"]["f"], "org_f": ner["per_label"]["ORG"]["f"],
        "city_f": ner["per_label"]["CITY"]["f"], "date_f": ner["per_label"]["DATE"]["f"],
        "time_relation_f": rel["per_label"]["time"]["f"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("work_dirs", nargs="*", metavar="work_dir", help="the --work-dir of a python -m ipner evaluate --loro run (one per seed; none: dev and probes only)")
    parser.add_argument("--dev-model", action="append", help="pipeline scored on the dev split (repeatable; default: the shipped one)")
    parser.add_argument("--variant", action="append", choices=list(VARIANTS), help="measure only this variant (repeatable; default: all)")
    parser.add_argument(
        "--probe", action="append", default=[],
        help="an authoring-format file of passages outside the corpus (annotations/probes/), scored like dev (repeatable)",
    )
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    records = read_gold(default_corpus_path())
    seeds = [r for r in records if r.get("meta", {}).get("split") == "seed"]
    dev = [r for r in records if r.get("meta", {}).get("split") == "dev"]
    folds = {
        work_dir: {seed["id"]: spacy.load(Path(work_dir) / seed["id"] / "model-best") for seed in seeds}
        for work_dir in args.work_dirs
    }
    probes = {Path(path).stem: [doc.record for doc in parse_file(path)] for path in args.probe}
    dev_names = args.dev_model or ["default"]
    dev_models = {name: load(name) for name in dev_names}
    rows = {}
    for name, levers in VARIANTS.items():
        if args.variant and name not in args.variant:
            continue
        for nlp in (*(m for run in folds.values() for m in run.values()), *dev_models.values()):
            configure(nlp, levers)
        row = rows[name] = {
            "levers": levers,
            "loro": {
                work_dir: _summary(merge_results([evaluate_pipeline(run[seed["id"]], [seed]) for seed in seeds]))
                for work_dir, run in folds.items()
            },
            "dev": {model: _summary(evaluate_pipeline(nlp, dev)) for model, nlp in dev_models.items()},
            **{
                f"probe {probe}": {model: _summary(evaluate_pipeline(nlp, passages)) for model, nlp in dev_models.items()}
                for probe, passages in probes.items()
            },
        }
        for key in ("fact", "relation_f", "metric_f", "org_f") if folds else ():
            loro = " / ".join(f"{(r[key]['f'] if key == 'fact' else r[key]):.3f}" for r in row["loro"].values())
            print(f"{name:40s} LORO {key} {loro}", flush=True)
        for part in ("dev", *(f"probe {probe}" for probe in probes)):
            print(f"{name:40s} {part} fact F " + " / ".join(f"{r['fact']['f']:.3f}" for r in row[part].values()), flush=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    report = {
        "setting": f"post-processing levers on the fold models of {', '.join(args.work_dirs)} (leave-one-report-out, five "
                   f"seed reports pooled per run) and on the dev split with {', '.join(dev_names)}"
                   + (f", and on the probes {', '.join(probes)} with the same" if probes else "") + "; no retraining",
        "measured": f"{datetime.date.today().isoformat()} at commit {commit}",
        "variants": rows,
    }
    with atomic_output(args.output) as out:
        out.write(json.dumps(report, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
