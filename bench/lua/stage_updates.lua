-- Stage updates on distinct orders, round-robin over `count` orders whose assembly stage is in
-- progress. Each pass flips the stage between blocked and in_progress (both are valid from
-- either), and every update revises the remaining time, so updates never run out of valid
-- transitions and each one writes a status event and an estimate revision.
-- args: prefix count key [offset [prefer [base]]]; prefer "minimal" asks for the lean answer
-- (anything else, e.g. "full", for the full one); base is the first order index of the slice
-- this wrk updates (default 0): orders base .. base + count - 1, so concurrent wrk processes
-- given disjoint slices never update the same order.
local prefix, count, key, counter, headers, base

function init(args)
   prefix = args[1]
   count = tonumber(args[2])
   key = args[3]
   counter = tonumber(args[4] or "0")
   base = tonumber(args[6] or "0")
   headers = {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}
   if args[5] == "minimal" then
      headers["Prefer"] = "return=minimal"
   end
end

function request()
   local i = base + counter % count
   local pass = math.floor(counter / count)
   counter = counter + 1
   local body
   if pass % 2 == 0 then
      body = string.format('{"status": "blocked", "reason": "waiting_parts", "remaining_minutes": %d}',
                           60 + counter % 600)
   else
      body = string.format('{"status": "in_progress", "remaining_minutes": %d}', 60 + counter % 600)
   end
   local path = string.format("/v1/orders/%s%d/stages/assembly/updates", prefix, i)
   return wrk.format("POST", path, headers, body)
end
