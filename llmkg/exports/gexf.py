"""networkx graph → GEXF 1.3 for Gephi (written as text; tests hold an lxml writer as the reference).

Why not ``networkx.write_gexf``? Against the official 1.3 schema
(http://gexf.net/1.3/gexf.xsd, a copy in tests/schemas/gexf/1.3/) its
output is invalid in four ways, each handled here on purpose:

1. It writes ``<graph name="">``. The 1.3 ``graph-content`` type declares no
   ``name`` attribute at all, so any ``name`` is invalid. → We write none;
   the title goes into ``<meta><description>``.
2. Its 1.3 xsi namespace is ``http://w3.org/2001/XMLSchema-instance`` (no
   "www."), so ``schemaLocation`` is an unknown attribute in a foreign
   namespace, not the XML-Schema-instance hint. → We use the real
   ``http://www.w3.org/2001/XMLSchema-instance``.
3. It derives ``timeformat="long"`` from Python ints; 1.3 allows only
   integer | double | date | dateTime. → Our times are dates, so we write
   ``timeformat="date"`` and ISO dates (YYYY-MM-DD).
4. It writes ``<viz:position z="None">`` when z is missing; z is xs:float. →
   Our layout is 2-D and we leave ``z`` out (it is optional).

It also stamps ``lastmodifieddate`` with today's date, which would make two
exports of the same graph differ. → We write no lastmodifieddate, so the file
is a pure function of the graph (also: sorted nodes and edges, fixed float
formatting, edge ids by position in that order).

**The viz namespace.** In GEXF 1.2 the visual elements lived in their own
namespace (``viz:color`` etc. in …/1.2draft/viz, imported with that
targetNamespace). In the 1.3 schema as published, ``viz.xsd`` has *no*
targetNamespace and ``gexf.xsd``/``dynamics.xsd`` import it without a
namespace; it only contributes attribute groups (``color-content``,
``position-content`` …). The elements ``color``, ``position``, ``size`` and
``shape`` are then declared by ``dynamics.xsd`` itself, inside the GEXF
namespace (``{http://gexf.net/1.3}color``), and ``node-content`` allows
only those — ``{http://gexf.net/1.3/viz}color`` is rejected ("This element is
not expected"). So the only viz elements the official 1.3 schema accepts
are *unprefixed ones in the GEXF namespace*, and that is what we write.
Gephi reads them: its importer (ImporterGEXF.readNode) dispatches on
``XMLStreamReader.getLocalName()`` – "color", "position", "size" – and never
looks at the namespace, so ``<color>`` in the GEXF namespace and
``<viz:color>`` in …/1.3/viz are the same thing to it. The price is that
readers that match the viz namespace exactly (networkx.read_gexf among them)
would not see colours and positions. Validity against the published schema
was judged worth more. Nor does GEXF 1.2draft help: its official schema
(gephi/gexf specs/1.2draft, a copy in tests/schemas/gexf/1.2draft/) also
declares ``color``/``position``/``size`` in the GEXF namespace and rejects
``{http://www.gexf.net/1.2draft/viz}color`` — the only namespace networkx's
1.2draft reader looks in (tests/test_gexf.py keeps that evidence).

So the drawing is written twice: as viz elements (what Gephi and
graphology-gexf draw from) and as four typed attributes, ``color`` (hex),
``size``, ``x`` and ``y`` (:data:`VIZ_ATTRIBUTES`). ``networkx.read_gexf``
reads attributes by title, so a Python user gets ``color``, ``size``, ``x``
and ``y`` on every node — the same keys llmkg's own networkx views carry,
so the read graph can be drawn again as it is. graphology-gexf reads the
attributes first and the viz elements over them: the same values.

The dynamic part: ``mode="dynamic"``, ``timeformat="date"``; a node with a
date (``start`` attribute of the networkx node, already YYYY-MM-DD) gets
``start=`` and no end, so it appears on Gephi's timeline at that date and
stays; undated nodes carry no time and are always present.
"""
from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from pathlib import Path

import networkx as nx

from llmkg.errors import InputError
from llmkg.exports.appearance import decorate, kind_colour
from llmkg.exports.network import EDGE_ATTRIBUTES, NODE_ATTRIBUTES
from llmkg.sources.safety import XML_UNWRITABLE

GEXF_NS = "http://gexf.net/1.3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"  # with "www." (cf. networkx)
SCHEMA_LOCATION = "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"
VERSION = "1.3"


__all__ = ["write_gexf", "gexf_bytes", "GEXF_NS", "VERSION", "VIZ_ATTRIBUTES"]

#: The viz elements' values again as node attributes (key, GEXF type, title),
#: for the readers that miss the viz elements (see the module docstring).
VIZ_ATTRIBUTES = (("color", "string", "color"), ("size", "double", "size"),
                  ("x", "double", "x"), ("y", "double", "y"))


def _fmt_float(x: float) -> str:
    """Fixed formatting: at most 4 decimals, no exponent, no "-0"."""
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"cannot write {x} in GEXF")
    s = f"{x:.4f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _fmt_value(value, gtype: str) -> str:
    if gtype == "boolean":
        return "true" if value else "false"
    if gtype in ("long", "integer"):
        return str(int(value))
    if gtype in ("double", "float"):
        return _fmt_float(value)
    return str(value)


def _token(text: str) -> str:
    # label is xs:token: no leading/trailing/double spaces, no tabs/newlines.
    return " ".join(str(text).split())


def _hex_to_rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


# ---------------------------------------------------------------------------
# The writer: text, not lxml elements
# ---------------------------------------------------------------------------
#
# Building one lxml element per node, colour, position and attvalue costs
# ~25 µs a node; at 100,000 nodes and 200,000 edges that is most of a build.
# gexf_bytes therefore writes the same document as text. The output is
# byte-for-byte what lxml elements + etree.tostring(pretty_print=True) give
# (tests/gexf_lxml.py builds those; tests/test_gexf.py compares the two and
# validates against the XSD):
# libxml2's escaping (attributes: & < > " and tab/newline/CR as character
# references; text: & < > and CR) and its two-space indentation.

_ATTR_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                              "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
_TEXT_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


_NEEDS_ESCAPE = re.compile('[&<>"\n\r\t]')


class UnwritableText(InputError, ValueError):
    """A value holds a character XML cannot hold: the user's data to mend (a ValueError, as
    lxml raises for the same text)."""


def xml_text(text: str, fmt: str = "GEXF") -> str:
    """``text``, or :class:`UnwritableText` naming the character XML cannot hold and the fix
    (GEXF and GraphML alike: Turtle allows ``\u0001`` in a label, XML 1.0 does not)."""
    bad = XML_UNWRITABLE.search(text)
    if bad:
        shown = text if len(text) <= 80 else text[:77] + "..."
        raise UnwritableText(f"cannot write {fmt}: the text {shown!r} holds U+{ord(bad.group()):04X}, a control "
                             f"character XML cannot hold; remove it from the data file that states it")
    return text


# Characters to escape or to refuse: one search per value written.
_SPECIAL = re.compile('[&<>"]|[^\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]')


def _attr(text) -> str:
    s = str(text)
    if _SPECIAL.search(s):
        return xml_text(s).translate(_ATTR_ESCAPE)
    return s


def _text(text) -> str:
    return xml_text(str(text)).translate(_TEXT_ESCAPE)


#: Pieces of text gathered before they are encoded and handed on: a 1,000,000-model
#: GEXF is 2.6 GB of text, which held whole (as pieces, joined, encoded) took 8 GB.
_BLOCK = 1 << 16


def _document(g: nx.DiGraph, emit: Callable[[bytes], object]) -> None:
    """Write ``g``'s GEXF document through ``emit``, as UTF-8 blocks in order."""
    data_of = dict(g.nodes(data=True))  # node -> its attributes
    nodes = sorted(data_of, key=str)
    if nodes and not all("x" in d and "color" in d for d in data_of.values()):
        g = g.copy()
        decorate(g)
        data_of = dict(g.nodes(data=True))
    view = g.graph.get("view", "full")
    inferred = "with" if g.graph.get("include_inferred", True) else "without"
    out = [
        "<?xml version='1.0' encoding='UTF-8'?>\n",
        f'<gexf xmlns="{GEXF_NS}" xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{SCHEMA_LOCATION}" '
        f'version="{VERSION}">\n',
        "  <meta>\n    <creator>llmkg</creator>\n",
        "    <keywords>large models, knowledge graph, 大模型, 知识图谱</keywords>\n",
        "    <description>" + _text(f"llmkg knowledge graph of large AI models, view '{view}', "
                                    f"{inferred} inferred edges") + "</description>\n",
        "  </meta>\n",
        '  <graph defaultedgetype="directed" mode="dynamic" timeformat="date">\n',
    ]
    node_data = [data_of[n] for n in nodes]
    node_keys = set().union(*node_data)
    by_ends = sorted(g.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))
    edges = [(u, v) for u, v, _ in by_ends]
    edge_data = [d for _, _, d in by_ends]
    edge_keys = set().union(*edge_data)

    def declare(cls, spec, present):
        used = [(k, t, title) for k, t, title in spec if k in present]
        if not used:
            out.append(f'    <attributes class="{cls}" mode="static"/>\n')
        else:
            out.append(f'    <attributes class="{cls}" mode="static">\n')
            for k, t, title in used:
                out.append(f'      <attribute id="{_attr(k)}" title="{_attr(title)}" type="{_attr(t)}"/>\n')
            out.append("    </attributes>\n")
        return [(k, t) for k, t, _ in used]

    node_spec = declare("node", NODE_ATTRIBUTES + VIZ_ATTRIBUTES, node_keys)
    edge_spec = declare("edge", EDGE_ATTRIBUTES, edge_keys)

    floats: dict = {}  # number -> its text: x and y are written twice, sizes repeat

    def float_text(x) -> str:
        try:
            got = floats.get(x)
        except TypeError:  # an unhashable value
            return _fmt_float(x)
        if got is None:
            got = floats[x] = _fmt_float(x)
        return got

    def attvalue_line(k, t, indent):
        """value -> the <attvalue> line of attribute ``k`` of type ``t``."""
        head, tail = f'{indent}  <attvalue for="{k}" value="', '"/>\n'
        if t in ("double", "float"):  # digits, "-" and ".": nothing to escape
            return lambda v: head + float_text(v) + tail
        memo: dict = {}  # (value type, value) -> line: kinds, classes, organisations, dates repeat a lot

        def line(v):
            try:
                got = memo.get((type(v), v))
            except TypeError:  # an unhashable value
                return head + _attr(_fmt_value(v, t)) + tail
            if got is None:
                got = memo[(type(v), v)] = head + _attr(_fmt_value(v, t)) + tail
            return got
        return line

    def hand_on():
        """The pieces gathered so far, encoded, to ``emit``."""
        emit("".join(out).encode("utf-8"))
        out.clear()

    node_lines = [(k, attvalue_line(k, t, "        ")) for k, t in node_spec]
    ids = {n: _attr(n) for n in nodes}  # a node's id, escaped: for its element and its edges
    colours: dict = {}
    if not nodes:
        out.append('    <nodes count="0"/>\n')
    else:
        out.append(f'    <nodes count="{len(nodes)}">\n')
        for n, d in zip(nodes, node_data):
            head = f'      <node id="{ids[n]}" label="{_attr(_token(d.get("label", n)))}"'
            if d.get("start"):
                head += f' start="{_attr(d["start"])}"'
            out.append(head + ">\n")
            values = []
            for k, line in node_lines:
                v = d.get(k)
                if v is None or v == "":
                    continue
                values.append(line(v))
            if values:
                out.append("        <attvalues>\n")
                out.extend(values)
                out.append("        </attvalues>\n")
            colour = d.get("color") or kind_colour(d.get("kind", "other"))
            c = colours.get(colour)
            if c is None:
                r, gg, b = _hex_to_rgb(colour)
                c = colours[colour] = f'        <color r="{r}" g="{gg}" b="{b}"/>\n'
            out.append(c)
            out.append(f'        <position x="{float_text(d.get("x", 0.0))}" y="{float_text(d.get("y", 0.0))}"/>\n')
            out.append(f'        <size value="{float_text(max(0.0, float(d.get("size", 10.0))))}"/>\n')
            out.append("      </node>\n")
            if len(out) >= _BLOCK:
                hand_on()
        out.append("    </nodes>\n")
    if not edges:
        out.append('    <edges count="0"/>\n')
    else:
        out.append(f'    <edges count="{len(edges)}">\n')
        tails: dict = {}  # an edge's text after its endpoints depends on few values: cache it
        for i, ((u, v), d) in enumerate(zip(edges, edge_data)):
            label = d.get("label", d.get("relation"))
            values = tuple(d.values())  # the tail is a function of the whole attribute dict
            key = (tuple(d), values, tuple(map(type, values)))
            try:
                tail = tails.get(key)
            except TypeError:  # an unhashable value: no caching
                tail = None
            if tail is None:
                part = ""
                if label:
                    part += f' label="{_attr(_token(label))}"'
                if "weight" in d:
                    part += f' weight="{_fmt_float(d["weight"])}"'
                inferred_edge = d.get("inferred")
                values = [(k, t) for k, t in edge_spec if d.get(k) is not None and d.get(k) != ""]
                if not values and not inferred_edge:
                    tail = part + "/>\n"
                else:
                    body = [part + ">\n"]
                    if values:
                        body.append("        <attvalues>\n")
                        for k, t in values:
                            body.append(f'          <attvalue for="{k}" value="{_attr(_fmt_value(d[k], t))}"/>\n')
                        body.append("        </attvalues>\n")
                    if inferred_edge:
                        # inferred edges drawn lighter so asserted structure dominates
                        body.append('        <color r="170" g="170" b="170"/>\n')
                    body.append("      </edge>\n")
                    tail = "".join(body)
                try:
                    tails[key] = tail
                except TypeError:
                    pass
            su = ids[u] if u in ids else _attr(u)
            sv = ids[v] if v in ids else _attr(v)
            out.append(f'      <edge id="{i}" source="{su}" target="{sv}"{tail}')
            if len(out) >= _BLOCK:
                hand_on()
        out.append("    </edges>\n")
    out.append("  </graph>\n</gexf>\n")
    # every value written went through _attr or _text, which refuse the
    # characters XML cannot hold; the rest is this module's own text
    hand_on()


def gexf_bytes(g: nx.DiGraph) -> bytes:
    """The GEXF 1.3 document for ``g`` as UTF-8 bytes; the same graph always
    gives the same bytes."""
    blocks: list[bytes] = []
    _document(g, blocks.append)
    return b"".join(blocks)


def write_gexf(g: nx.DiGraph, path) -> None:
    """Write ``g`` as GEXF 1.3 (valid against the official schema) to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # written beside and then moved into place: a value XML cannot hold, found halfway,
    # leaves no half a document (nor spoils the one already there)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with open(partial, "wb") as f:
            _document(g, f.write)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
