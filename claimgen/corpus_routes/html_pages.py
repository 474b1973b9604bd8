"""Route 2: documents as web pages (HTML and CSS) that headless Chromium prints to PDF.

Layouts: `webform` (an online FNOL summary, labels above values in a grid), `quote` (a garage's
quote with key/value rows beside each other), `receipt` (a narrow till slip), `stateform` (a
state crash-report form, boxed cells with small labels) and `report` (headed lines and prose).
"""

from __future__ import annotations

from html import escape

from claimgen.corpus_routes.sheet import Block, Document, Entry, Items, Prose, Section

_CSS = {
    "webform": """@page{size:A4;margin:14mm} body{font-family:'DejaVu Sans',sans-serif;font-size:10pt;color:#222}
header{border-bottom:3px solid #1d5fa7;margin-bottom:8px} header .org{font-size:15pt;color:#1d5fa7}
h1{font-size:17pt;margin:6px 0} h2{font-size:11pt;background:#e8eef7;padding:3px 6px;margin:12px 0 4px}
.grid{display:grid;grid-template-columns:1fr 1fr 1fr;gap:6px 14px}
.cell .k{font-size:7.5pt;text-transform:uppercase;color:#667;letter-spacing:.04em} .cell .v{font-size:10pt}
.wide{grid-column:span 3} table{width:100%;border-collapse:collapse} td,th{border-bottom:1px solid #ccd;padding:3px}
footer{margin-top:18px;font-size:7pt;color:#888}""",
    "quote": """@page{size:Letter;margin:16mm} body{font-family:'Liberation Sans',Arial,sans-serif;font-size:10pt}
.top{display:flex;justify-content:space-between} .org{font-weight:bold;font-size:14pt} h1{font-size:28pt;margin:0;
color:#a33} .cols{display:flex;flex-wrap:wrap;gap:10px 18px;margin-top:10px}
.cols section{flex:1 1 44%;min-width:0;border:1px solid #ddd;padding:6px} h2{font-size:10pt;margin:0 0 4px;color:#a33}
.row{display:flex} .row .k{width:42%;color:#555} .row .v{width:58%;overflow-wrap:anywhere}
table{width:100%;border-collapse:collapse;margin-top:12px} th{background:#a33;color:#fff;text-align:left;padding:4px}
td{padding:4px;border-bottom:1px solid #eee} td.n,th.n{text-align:right} .totals{margin-left:55%;margin-top:6px}
p.small{font-size:8pt;color:#555} footer{font-size:7pt;color:#999;margin-top:16px}""",
    "receipt": """@page{size:80mm 260mm;margin:4mm} body{font-family:'DejaVu Sans Mono',monospace;font-size:8.5pt}
.c{text-align:center} h1{font-size:11pt;text-align:center;margin:4px 0} .row{display:flex;justify-content:space-between}
hr{border:0;border-top:1px dashed #000} table{width:100%;border-collapse:collapse} td.n{text-align:right}""",
    "stateform": """@page{size:Letter;margin:10mm} body{font-family:'Liberation Sans',Arial,sans-serif;font-size:8.5pt}
h1{font-size:13pt;text-align:center;margin:2px} .org{text-align:center;font-weight:bold}
h2{font-size:8.5pt;background:#000;color:#fff;margin:6px 0 0;padding:2px 4px}
.grid{display:grid;grid-template-columns:repeat(4,1fr);border-left:1px solid #000;border-top:1px solid #000}
.cell{border-right:1px solid #000;border-bottom:1px solid #000;padding:1px 3px;min-height:22px}
.cell .k{font-size:6pt} .cell .v{font-size:9pt} .wide{grid-column:span 4} p{border:1px solid #000;padding:4px;margin:0}
footer{font-size:6.5pt;margin-top:6px;display:flex;justify-content:space-between}""",
    "report": """@page{size:Letter;margin:20mm} body{font-family:'DejaVu Serif',serif;font-size:10.5pt;line-height:1.35}
.org{font-size:13pt;font-weight:bold;text-align:center;text-transform:uppercase} h1{font-size:12pt;text-align:center}
h2{font-size:10.5pt;text-transform:uppercase;border-bottom:1px solid #000;margin-top:14px} .line{margin:1px 0}
.line .k{font-weight:bold} table{border-collapse:collapse} td,th{padding:2px 8px 2px 0;text-align:left}
footer{font-size:8pt;margin-top:20px;text-align:center}""",
}


def _cell(entry: Entry, wide: bool) -> str:
    label = f'<div class="k">{escape(entry.label)}</div>' if entry.label else ""
    return f'<div class="cell{" wide" if wide else ""}">{label}<div class="v">{escape(entry.value)}</div></div>'


def _grid(section: Section) -> str:
    cells = "".join(_cell(entry, wide=len(entry.value) > 48) for entry in section.entries)
    head = f"<h2>{escape(section.heading)}</h2>" if section.heading else ""
    return f'{head}<div class="grid">{cells}</div>'


def _rows(section: Section, css_class: str = "row") -> str:
    rows = "".join(
        f'<div class="{css_class}"><span class="k">{escape(entry.label)}{":" if entry.label else ""}'
        f'</span> <span class="v">{escape(entry.value)}</span></div>'
        for entry in section.entries
    )
    head = f"<h2>{escape(section.heading)}</h2>" if section.heading else ""
    return f"<section>{head}{rows}</section>"


def _table(items: Items, layout: str) -> str:
    numeric = range(1, len(items.columns))
    head = "".join(
        f'<th class="{"n" if index in numeric else ""}">{escape(name)}</th>' for index, name in enumerate(items.columns)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{"n" if index in numeric else ""}">{escape(value)}</td>' for index, value in enumerate(row)
        )
        + "</tr>"
        for row in items.rows
    )
    totals = _rows(Section("", items.totals))
    if layout == "receipt":
        slip = "".join(f'<tr><td>{escape(row[0])}</td><td class="n">{escape(row[-1])}</td></tr>' for row in items.rows)
        return f"<table>{slip}</table><hr>{totals}"
    caption = f"<h2>{escape(items.heading)}</h2>" if items.heading else ""
    return f'{caption}<table><tr>{head}</tr>{body}</table><div class="totals">{totals}</div>'


def _prose(prose: Prose) -> str:
    head = f"<h2>{escape(prose.heading)}</h2>" if prose.heading else ""
    return head + "".join(f'<p class="small">{escape(text)}</p>' for text in prose.paragraphs)


def _block(block: Block, layout: str) -> str:
    if isinstance(block, Items):
        return _table(block, layout)
    if isinstance(block, Prose):
        return _prose(block)
    if layout in ("webform", "stateform"):
        return _grid(block)
    return _rows(block, "line" if layout == "report" else "row")


def _header(document: Document, layout: str) -> str:
    issuer = [escape(line) for line in document.issuer]
    title = f"<h1>{escape(document.title)}</h1>"
    if layout == "quote":
        return f'<div class="top"><div><div class="org">{issuer[0]}</div>{"<br>".join(issuer[1:])}</div>{title}</div>'
    if layout == "receipt":
        return f'<div class="c"><b>{issuer[0]}</b><br>{"<br>".join(issuer[1:])}</div>{title}<hr>'
    if layout == "webform":
        return f'<header><div class="org">{issuer[0]}</div>{" · ".join(issuer[1:])}</header>{title}'
    return f'<div class="org">{"<br>".join(issuer)}</div>{title}'


def _body(document: Document, layout: str) -> str:
    if layout != "quote":
        return "".join(_block(block, layout) for block in document.blocks)
    sections = [block for block in document.blocks if isinstance(block, Section)]
    rest = [block for block in document.blocks if not isinstance(block, Section)]
    columns = "".join(_rows(section) for section in sections)
    return f'<div class="cols">{columns}</div>' + "".join(_block(block, layout) for block in rest)


def render_html(document: Document, layout: str) -> str:
    """The document as one HTML page in `layout`."""
    footer = "".join(f"<span>{escape(line)}</span><br>" for line in document.footer)
    return (
        f'<!DOCTYPE html><html lang="{document.lang}"><head><meta charset="utf-8"><title>{escape(document.title)}'
        f"</title><style>{_CSS[layout]}</style></head><body>{_header(document, layout)}"
        f"{_body(document, layout)}<footer>{footer}</footer></body></html>"
    )
