-- The baseline: a 5-field body POSTed to the bare echo app.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"reference": "BO-1", "stage": "assembly", "status": "in_progress", ' ..
           '"remaining_minutes": 90, "note": "bench"}'
