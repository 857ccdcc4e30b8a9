"""The event log and everything that reads it: fan-out, SSE, the webhook outbox."""
