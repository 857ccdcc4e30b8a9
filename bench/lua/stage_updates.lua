-- Stage updates on distinct orders, round-robin over `count` orders whose assembly stage is in
-- progress. Each pass flips the stage between blocked and in_progress (both are valid from
-- either), and every update revises the remaining time, so updates never run out of valid
-- transitions and each one writes a status event and an estimate revision.
-- args: prefix count key [offset [prefer]]; prefer "minimal" asks for the lean answer.
local prefix, count, key, counter, headers

function init(args)
   prefix = args[1]
   count = tonumber(args[2])
   key = args[3]
   counter = tonumber(args[4] or "0")
   headers = {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}
   if args[5] == "minimal" then
      headers["Prefer"] = "return=minimal"
   end
end

function request()
   local i = counter % count
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
