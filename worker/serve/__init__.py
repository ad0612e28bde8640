"""``quote-worker serve``: the extractor over HTTP, and the review page where a person sees what was found.

- ``app.py``: the ASGI app (``POST /v1/extract``, ``GET /healthz``, ``GET /metrics``, ``GET /openapi.json``,
  ``GET /`` and its assets, ``GET /v1/samples``).
- ``metrics.py``: the Prometheus metrics of requests and extraction time.
- ``report.py``: the ``quote-worker eval --html`` report, the same article view for a gold set.
- ``assets/``: the page files. ``render.js`` draws an article with its quotes, its legend of speakers and
  its quote list; the review page (``page.js``) and the eval report (``report.js``) both use it.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE = Path(str(files(__name__)))
#: The page files (package data).
ASSETS = PACKAGE / "assets"
#: The sample articles of the repository (a link to samples/articles.jsonl; a copy in an installed package).
DEFAULT_SAMPLES = PACKAGE / "samples.jsonl"
