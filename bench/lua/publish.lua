-- The baseline's fan-out: each request publishes one event to its subscribers and webhooks.
wrk.method = "POST"
