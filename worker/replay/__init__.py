"""``quote-worker replay``: bounded, resumable re-extraction of archived article topics, through the
stream worker's own processing chain (see docs/replay.md)."""

from worker.replay.core import Replay, ReplayOptions, Summary, format_plan

__all__ = ["Replay", "ReplayOptions", "Summary", "format_plan"]
