"""A local replay of the YouTube, X and Facebook APIs for tests, the demo and benchmarks.

``with ReplayServer(ReplayWorld.generate(seed=1)) as server: ...`` serves documented response shapes on
127.0.0.1; point the spiders' base-URL settings at ``server.youtube_url`` / ``x_url`` / ``facebook_url``.
"""

from testservers.replay.faults import Fault, FaultPlan
from testservers.replay.server import ReplayServer
from testservers.replay.world import ReplayWorld

__all__ = ["Fault", "FaultPlan", "ReplayServer", "ReplayWorld"]
