-- GET requests with an API key. A path containing {i} gets a random number in [0, count).
-- args: key path [count]
local key, path, count

function init(args)
   key = args[1]
   path = args[2]
   count = tonumber(args[3] or "0")
   math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
   local p = path
   if count > 0 then
      p = string.gsub(path, "{i}", tostring(math.random(0, count - 1)))
   end
   return wrk.format("GET", p, {["Authorization"] = "Bearer " .. key})
end
