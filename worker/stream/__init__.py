"""The Kafka stream layer: configuration, the consumer loop, processing strategies (extract -> produce ->
commit), output record building and metrics. See docs/stream.md."""
