"""HTML views of ipner's results: displaCy entities, relation arcs and a facts table.

For every document a section shows displaCy's entity view of the whole text, the relations as
displaCy arc diagrams (one per paragraph that holds relation heads, or per sentence when a
paragraph has too many entities to stay readable), and the facts as a table.
:func:`render_doc` renders one processed spaCy ``Doc`` (``ipner.render``, notebooks);
:func:`render_page` writes a whole page for many documents (``python -m ipner render``).
"""
from __future__ import annotations

import html
import re
import warnings
from typing import Any, Iterable, Iterator, TextIO

from ipner.schema import SENTENCE_END_CHARS
from ipner.types import Fact, format_value
from ipner.writers import display_width

__all__ = [
    "render_doc", "render_document", "render_page", "page_head", "page_tail", "entity_view", "facts_table", "arc_diagrams",
    "model_description", "COLORS",
]

#: Background colours of the six entity labels in the entity view.
COLORS: dict[str, str] = {
    "CITY": "#7aecec",
    "REGION": "#9fd8a8",
    "ORG": "#feca74",
    "METRIC": "#c9b3fc",
    "QUANTITY": "#f7a8a8",
    "DATE": "#bfe1f5",
}

FACT_COLUMNS = ("subject", "place", "metric", "canonical metric", "quantity", "value", "unit", "approx", "kind", "time", "period", "score")

#: A paragraph with more relation entities than this is drawn sentence by sentence.
MAX_ARC_WORDS = 10
#: Text between two entities in an arc diagram is shown up to this many characters, else left out.
MAX_GAP_CHARS = 4
#: Entity texts in arc diagrams are cut to this many characters.
MAX_WORD_CHARS = 8

_FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
_PARAGRAPH_RE = re.compile(r"[^\n]+")
_SENTENCE_RE = re.compile(f"[^{SENTENCE_END_CHARS}\\n]+[{SENTENCE_END_CHARS}]*")

_PAGE_HEAD = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="{charset}">
<title>{title}</title>
<style>
body {{ font-family: {font}; margin: 2em auto; max-width: 70em; padding: 0 1em; color: #222; }}
section.document {{ border-top: 2px solid #ccc; margin-top: 2.5em; }}
h2 {{ font-size: 1.2em; word-break: break-all; }}
h3 {{ font-size: 1em; color: #555; margin-top: 1.5em; }}
.arcs {{ overflow-x: auto; border: 1px solid #eee; margin: 0.5em 0; }}
.arcs .where {{ font-size: 0.8em; color: #888; padding: 0.2em 0.5em; }}
table.facts {{ border-collapse: collapse; font-size: 0.9em; }}
table.facts th, table.facts td {{ border: 1px solid #ddd; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }}
table.facts th {{ background: #f4f4f4; }}
td.value, td.score {{ text-align: right; font-variant-numeric: tabular-nums; }}
.legend mark {{ padding: 0.2em 0.5em; border-radius: 0.35em; margin-right: 0.5em; }}
.muted {{ color: #888; }}
.errors {{ color: #a00; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="legend">{legend}</p>
<p class="muted">model: {model}</p>
"""


def _charset(out: TextIO) -> str:
    """The charset to declare for ``out``; characters it cannot encode become HTML references."""
    encoding = (getattr(out, "encoding", None) or "utf-8").lower()
    if encoding.replace("_", "-") in ("utf-8", "utf8"):
        return "utf-8"
    reconfigure = getattr(out, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="xmlcharrefreplace")
    return encoding


def model_description(name: str, nlp: Any) -> str:
    """How the page names the model: what was asked for, and the pipeline's name and version."""
    meta = getattr(nlp, "meta", {}) or {}
    shown = f"{meta.get('lang', '')}_{meta.get('name', '')}".strip("_")
    version = meta.get("version")
    return f"{name} ({shown}{' ' + version if version else ''})" if shown else name


def page_head(model: str, charset: str = "utf-8") -> str:
    """The page's opening markup: styles, title and a legend of the six label colours."""
    legend = "".join(f'<mark style="background: {color}">{label}</mark>' for label, color in COLORS.items())
    return _PAGE_HEAD.format(
        charset=html.escape(charset), title="ipner: entities, relations and facts", font=_FONT, legend=legend,
        model=html.escape(model),
    )


def page_tail(error_messages: Iterable[str]) -> str:
    """The closing markup, listing the inputs that could not be read (if any)."""
    messages = list(error_messages)
    markup = ""
    if messages:
        items = "".join(f"<li>{html.escape(m)}</li>" for m in messages)
        markup = f'<section class="errors"><h2>Inputs that could not be read</h2><ul>{items}</ul></section>\n'
    return markup + "</body>\n</html>\n"


def render_document(
    doc_id: str,
    text: str,
    entities: list[dict[str, Any]],
    relations: list[dict[str, Any]],
    facts: Iterable[Fact],
    number: int = 1,
) -> str:
    """One document's section: entity view, relation arcs and facts table (all text escaped).

    ``entities`` and ``relations`` are in ``predict``'s shape (SCHEMA.md): offsets into ``text``,
    relation ``head``/``child`` indices into ``entities``.
    """
    facts = list(facts)
    parts = [
        f'<section class="document" id="doc-{number}">',
        f"<h2>{html.escape(doc_id)}</h2>",
        f'<p class="muted">{len(text):,} characters, {len(entities)} entities, '
        f"{len(relations)} relations, {len(facts)} facts</p>",
    ]
    parts.append(entity_view(text, entities) if text else '<p class="muted">(empty document)</p>')
    diagrams = arc_diagrams(text, entities, relations)
    if diagrams:
        parts.append("<h3>Relations</h3>")
        parts.extend(diagrams)
    parts.append("<h3>Facts</h3>")
    parts.append(facts_table(facts))
    parts.append("</section>\n")
    return "\n".join(parts)


def entity_view(text: str, entities: list[dict[str, Any]]) -> str:
    """displaCy's entity view of ``text`` (escaped by displaCy) with ``entities`` (``predict``'s shape)
    highlighted in the colours of :data:`COLORS`."""
    from spacy import displacy

    ents = [{"start": e["start"], "end": e["end"], "label": e["label"]} for e in entities]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return displacy.render(
            {"text": text, "ents": ents}, style="ent", manual=True, jupyter=False,
            options={"colors": COLORS, "ents": list(COLORS)},
        )


def facts_table(facts: Iterable[Fact]) -> str:
    """The facts as an HTML table with the columns of :data:`FACT_COLUMNS`, every cell escaped."""
    facts = list(facts)
    if not facts:
        return '<p class="muted">(no facts)</p>'
    header = "".join(f"<th>{name}</th>" for name in FACT_COLUMNS)
    rows = []
    for fact in facts:
        quantity, time = fact.quantity, fact.time
        cells = {
            "subject": fact.subject.text if fact.subject else "",
            "place": "" if fact.place is None else fact.place.name + (f" ({fact.place.code})" if fact.place.code else ""),
            "metric": fact.metric.text,
            "canonical metric": fact.metric.name or "",
            "quantity": quantity.text,
            "value": format_value(quantity.value),
            "unit": quantity.unit or "",
            "approx": quantity.approx or "",
            "kind": quantity.kind or "",
            "time": "" if time is None else time.text + (f" ({time.year})" if time.year is not None else ""),
            "period": (time.period or "") if time else "",
            "score": f"{fact.score:.2f}" if isinstance(fact.score, (int, float)) else "",
        }
        title = html.escape(fact.sentence.replace("\n", " "), quote=True)
        row = "".join(f'<td class="{name.replace(" ", "_")}">{html.escape(str(cells[name]))}</td>' for name in FACT_COLUMNS)
        rows.append(f'<tr title="{title}">{row}</tr>')
    return f'<table class="facts">\n<tr>{header}</tr>\n' + "\n".join(rows) + "\n</table>"


def arc_diagrams(text: str, entities: list[dict[str, Any]], relations: list[dict[str, Any]]) -> list[str]:
    """displaCy arc diagrams of the relations, one per paragraph holding relation heads.

    A paragraph with more than :data:`MAX_ARC_WORDS` entities in relations is split into
    sentences. Each diagram's words are the entities of its relations in text order (children
    in other paragraphs included), with the text between them when it is short.
    """
    if not relations:
        return []
    from spacy import displacy

    by_head: dict[int, list[dict[str, Any]]] = {}
    for rel in relations:
        by_head.setdefault(rel["head"], []).append(rel)
    diagrams = []
    for start, end in _units(text, entities, by_head):
        unit_rels = [
            rel for head, rels in by_head.items() if start <= entities[head]["start"] < end for rel in rels
        ]
        if not unit_rels:
            continue
        parsed = _parse_unit(text, entities, unit_rels)
        width = max(display_width(w["text"]) for w in parsed["words"])
        options = {"distance": max(70, min(160, 8 * width + 24)), "font": _FONT, "offset_x": 40, "word_spacing": 30}
        svg = displacy.render(parsed, style="dep", manual=True, jupyter=False, options=options)
        where = html.escape(_shorten(text[start:end].strip(), 60))
        diagrams.append(f'<div class="arcs"><div class="where">{where}</div>{svg}</div>')
    return diagrams


def _units(text: str, entities: list[dict[str, Any]], by_head: dict[int, list[dict[str, Any]]]) -> Iterator[tuple[int, int]]:
    """Character spans to draw separately: paragraphs, or sentences of crowded paragraphs."""
    for paragraph in _PARAGRAPH_RE.finditer(text):
        start, end = paragraph.span()
        involved = set()
        for head, rels in by_head.items():
            if start <= entities[head]["start"] < end:
                involved.add(head)
                involved.update(rel["child"] for rel in rels)
        if not involved:
            continue
        if len(involved) <= MAX_ARC_WORDS:
            yield start, end
            continue
        for sentence in _SENTENCE_RE.finditer(text, start, end):
            yield sentence.span()


def _parse_unit(text: str, entities: list[dict[str, Any]], rels: list[dict[str, Any]]) -> dict[str, Any]:
    """displaCy's manual ``dep`` input for ``rels``: words (entities and gaps) and arcs."""
    involved = sorted({r["head"] for r in rels} | {r["child"] for r in rels}, key=lambda i: (entities[i]["start"], i))
    words: list[dict[str, str]] = []
    position: dict[int, int] = {}
    previous_end = None
    for index in involved:
        entity = entities[index]
        if previous_end is not None and entity["start"] > previous_end:
            gap = " ".join(text[previous_end : entity["start"]].split())
            if gap and len(gap) <= MAX_GAP_CHARS:
                words.append({"text": gap, "tag": ""})
        position[index] = len(words)
        words.append({"text": _shorten(entity["text"], MAX_WORD_CHARS), "tag": entity["label"]})
        previous_end = max(entity["end"], previous_end or 0)
    arcs = []
    for rel in rels:
        head, child = position[rel["head"]], position[rel["child"]]
        if head == child:
            continue
        if child < head:
            arcs.append({"start": child, "end": head, "label": rel["label"], "dir": "left"})
        else:
            arcs.append({"start": head, "end": child, "label": rel["label"], "dir": "right"})
    return {"words": words, "arcs": arcs, "settings": {"lang": "zh"}}


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_doc(doc: Any, title: str = "document", model: str = "", page: bool = True) -> str:
    """HTML for one ``Doc`` processed by an ipner pipeline: a whole page (``page=True``, the model
    named ``model`` in its head) or just the document's section, to embed in a notebook."""
    entities = [{"start": e.start_char, "end": e.end_char, "label": e.label_, "text": e.text} for e in doc.ents]
    relations = doc._.relations if doc.has_extension("relations") else []
    facts = doc._.facts if doc.has_extension("facts") else ()
    section = render_document(title, doc.text, entities, relations, facts)
    return page_head(model or "spaCy pipeline") + section + page_tail([]) if page else section


def render_page(out: TextIO, model: str, documents: Iterable[tuple[str, str, list, list, list]], errors: Any) -> None:
    """Write a whole page to ``out``: ``documents`` yields ``(id, text, entities, relations, facts)``
    (``predict``'s shapes, facts typed); ``errors`` has the messages of inputs that failed, listed
    at the end (read after the documents are exhausted)."""
    out.write(page_head(model, _charset(out)))
    for number, (doc_id, text, entities, relations, facts) in enumerate(documents, 1):
        out.write(render_document(doc_id, text, entities, relations, facts, number))
        out.flush()
    out.write(page_tail(errors))
