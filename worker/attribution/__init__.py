"""Attribution: from text to quotes with speakers. ``RuleAttributor`` is the entry point."""

from worker.attribution.attributor import RuleAttributor

__all__ = ["RuleAttributor"]
