"""Streaming quote attribution for Arabic news.

The extraction core (``worker.extractor`` and the modules it uses) is pure Python with no Kafka in
it; the stream layer (``worker.stream``) moves messages and owns the delivery guarantees.
"""

__version__ = "0.1.0"
