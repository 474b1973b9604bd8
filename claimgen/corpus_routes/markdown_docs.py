"""Route 3: documents written as Markdown that pandoc turns into HTML (printed by Chromium) or
into a Word file (converted by LibreOffice): letters, e-mails, narratives, simple estimates.

Field styles: `bold` ('**Label:** value' lines), `bullets` ('- Label: value'), `table` (a
two-column pipe table).
"""

from __future__ import annotations

from claimgen.corpus_routes.sheet import Block, Document, Items, Prose, Section

CSS = """body{font-family:'DejaVu Serif',serif;max-width:46em;margin:2em auto;font-size:11pt;line-height:1.45}
h1{font-size:16pt} h2{font-size:12.5pt;margin-top:1.2em} table{border-collapse:collapse}
td,th{border:1px solid #999;padding:2px 6px} @page{size:A4;margin:18mm}
"""


def _escape(text: str) -> str:
    for char in ("\\", "*", "_", "#", "|", "<", ">", "[", "]"):
        text = text.replace(char, "\\" + char)
    return text


def _section(section: Section, field_style: str) -> list[str]:
    lines = [f"## {_escape(section.heading)}", ""] if section.heading else []
    if field_style == "table":
        lines += ["| | |", "|---|---|"]
        lines += [f"| {_escape(entry.label)} | {_escape(entry.value)} |" for entry in section.entries]
    elif field_style == "bullets":
        lines += [
            f"- {_escape(entry.label)}: {_escape(entry.value)}" if entry.label else f"- {_escape(entry.value)}"
            for entry in section.entries
        ]
    else:
        lines += [
            (f"**{_escape(entry.label)}:** " if entry.label else "") + _escape(entry.value) + "\\"
            for entry in section.entries
        ]
        lines[-1] = lines[-1].rstrip("\\")
    return [*lines, ""]


def _items(items: Items) -> list[str]:
    lines = [f"## {_escape(items.heading)}", ""] if items.heading else []
    lines += [
        "| " + " | ".join(_escape(name) for name in items.columns) + " |",
        "|" + "|".join(["---"] + ["--:"] * (len(items.columns) - 1)) + "|",
    ]
    lines += ["| " + " | ".join(_escape(value) for value in row) + " |" for row in items.rows]
    lines += [""] + [f"**{_escape(total.label)}: {_escape(total.value)}**\\" for total in items.totals]
    lines[-1] = lines[-1].rstrip("\\")
    return [*lines, ""]


def _prose(prose: Prose) -> list[str]:
    lines = [f"## {_escape(prose.heading)}", ""] if prose.heading else []
    short = all(len(text) < 70 for text in prose.paragraphs)
    if short:  # an address or a signature: one line each, kept together
        return [*lines, "\\\n".join(_escape(text) for text in prose.paragraphs), ""]
    for text in prose.paragraphs:
        lines += [_escape(text), ""]
    return lines


def _block(block: Block, field_style: str) -> list[str]:
    if isinstance(block, Section):
        return _section(block, field_style)
    if isinstance(block, Items):
        return _items(block)
    return _prose(block)


def render_markdown(document: Document, field_style: str = "bold") -> str:
    """The document as pandoc Markdown."""
    page_title = (document.title or document.fine_type).replace('"', "'")
    lines = [f'---\npagetitle: "{page_title}"\nlang: {document.lang}\n---', ""]
    if document.issuer:
        lines += ["\\\n".join(_escape(line) for line in document.issuer), ""]
    if document.title:
        lines += [f"# {_escape(document.title)}", ""]
    for block in document.blocks:
        lines += _block(block, field_style)
    lines += ["\\\n".join(_escape(line) for line in document.footer), ""] if document.footer else []
    return "\n".join(lines)
