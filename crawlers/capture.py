"""One evidence capture per response, however many items a page yields.

:func:`crawlers.items.capture_of` builds a new :class:`~core.evidence.Capture` each call, and each
capture hashes the body once; a page of 100 comments would hash the same 100 KB a hundred times.
:func:`captured` builds it once and keeps it on the response's meta.
"""

from __future__ import annotations

from scrapy.http import Response

from core.evidence import Capture
from crawlers.items import capture_of

_KEY = "netral_capture"


def captured(response: Response) -> Capture:
    """The capture of ``response``, built on first use and then shared by every item of the page."""
    cap = response.meta.get(_KEY)
    if not isinstance(cap, Capture):
        cap = capture_of(response)
        response.meta[_KEY] = cap
    return cap
