-- wrk script for scripts/bruteforce/run.sh: wrong-password logins, paced.
-- Environment: MODE=one|random, TARGET (username for MODE=one),
-- SOURCE (the X-Forwarded-For the attacker claims; the server trusts loopback;
-- "random": a new address from 10.0.0.0/8 for each request, as a botnet),
-- DELAY_MS (pause of each connection between requests: rate = connections*1000/(DELAY_MS+latency)).
local mode = os.getenv("MODE") or "one"
local target = os.getenv("TARGET") or "admin"
local source = os.getenv("SOURCE") or "203.0.113.7"
local pause = tonumber(os.getenv("DELAY_MS") or "200")
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + id)
  s200, s401, s423, s429, sother = 0, 0, 0, 0, 0
end

function delay()
  return pause
end

function request()
  local name = target
  if mode == "random" then
    name = "u" .. math.random(1, 1000000)
  end
  local from = source
  if source == "random" then
    from = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  end
  local body = string.format('{"username":"%s","password":"wrong-%d"}', name, math.random(1, 1000000000))
  return wrk.format("POST", "/api/v1/auth/login",
    { ["Content-Type"] = "application/json", ["X-Forwarded-For"] = from }, body)
end

function response(status, headers, body)
  if status == 200 then s200 = s200 + 1
  elseif status == 401 then s401 = s401 + 1
  elseif status == 423 then s423 = s423 + 1
  elseif status == 429 then s429 = s429 + 1
  else sother = sother + 1 end
end

function done(summary, latency, requests)
  local t = { s200 = 0, s401 = 0, s423 = 0, s429 = 0, sother = 0 }
  for _, th in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + th:get(k) end
  end
  io.write(string.format("STATUS 200=%d 401=%d 423=%d 429=%d other=%d\n", t.s200, t.s401, t.s423, t.s429, t.sother))
  io.write(string.format("RATE %.1f req/s over %.1f s; latency p50 %.1f ms p99 %.1f ms\n",
    summary.requests / (summary.duration / 1e6), summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
