"""Fault injection for the replay server: what goes wrong, on which route, how many times.

A test arms faults before a crawl (``server.faults.add("youtube.commentThreads", "429", retry_after=1)``)
and afterwards reads ``server.faults.fired`` to check each one really happened, so a test cannot pass
because its fault never triggered.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Literal

FaultKind = Literal["429", "5xx", "slow", "malformed", "drop"]


@dataclass
class Fault:
    """One armed fault.

    - ``429``: Too Many Requests with ``Retry-After: retry_after`` (seconds).
    - ``5xx``: ``status`` (default 503) with the platform's error body.
    - ``slow``: the normal answer, sent after ``delay`` seconds (a client timeout fires first).
    - ``malformed``: status 200 with the normal body cut in half (invalid JSON).
    - ``drop``: the connection is closed without any answer.

    ``when`` restricts the fault to requests whose query or path parameters contain these values.
    """

    route: str
    kind: FaultKind
    times: int = 1
    status: int = 503
    retry_after: float = 1.0
    delay: float = 5.0
    when: dict[str, str] = field(default_factory=dict)


@dataclass
class FaultPlan:
    """Armed faults, consumed in order; ``fired`` records (route, kind, path) of each one served."""

    armed: list[Fault] = field(default_factory=list)
    fired: list[tuple[str, str, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, route: str, kind: FaultKind, **options: object) -> Fault:
        fault = Fault(route, kind, **options)  # type: ignore[arg-type]
        with self._lock:
            self.armed.append(fault)
        return fault

    def take(self, route: str, params: dict[str, str], path: str) -> Fault | None:
        """The first armed fault matching this request, with one of its ``times`` used up."""
        with self._lock:
            for fault in self.armed:
                if fault.route not in (route, "*") or fault.times <= 0:
                    continue
                if any(params.get(k) != v for k, v in fault.when.items()):
                    continue
                fault.times -= 1
                self.fired.append((route, fault.kind, path))
                return fault
        return None

    def count(self, kind: str, route: str | None = None) -> int:
        return sum(1 for r, k, _ in self.fired if k == kind and (route is None or r == route))
