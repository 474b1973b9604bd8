"""Document extraction: read a claim's documents, type them, extract fields, check them against the FNOL.

`extract` is the stage handler; wire it with a DocumentReader (the document store) and max_pages.
"""

from services.docextract.content import DocumentError
from services.docextract.handler import DocumentReader, extract

__all__ = ["DocumentError", "DocumentReader", "extract"]
