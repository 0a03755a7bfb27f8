-- wrk script shared by every scenario of run.py and faults.py. run.py writes the
-- table `requests` (and `expected`) in front of this file: one entry per
-- account, cycled through; "{{UUID}}" in a body becomes a fresh UUID (a form's
-- submission token), so every request is a distinct submission.

local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  ok, unexpected, other = 0, 0, 0
  math.randomseed(os.time() * 1000 + id * 7919)
  counter = id * 7919
end

local function uuid()
  return string.format("%08x-%04x-4%03x-%04x-%06x%06x",
    math.random(0, 0xffffffff), math.random(0, 0xffff), math.random(0, 0xfff),
    math.random(0x8000, 0xbfff), math.random(0, 0xffffff), math.random(0, 0xffffff))
end

function request()
  counter = counter + 1
  local r = requests[counter % #requests + 1]
  local body = r.body
  if body then
    body = body:gsub("{{UUID}}", uuid())
  end
  return wrk.format(r.method, r.path, r.headers, body)
end

function response(status, headers, body)
  if status == expected then
    ok = ok + 1
  else
    unexpected = unexpected + 1
    other = status
  end
end

function done(summary, latency, requests)
  local total_ok, total_unexpected, last_other = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_unexpected = total_unexpected + thread:get("unexpected")
    if thread:get("other") ~= 0 then last_other = thread:get("other") end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests": %d, "duration_us": %d, "bytes": %d, "ok": %d, "unexpected": %d, "other_status": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "timeout": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, total_ok, total_unexpected, last_other,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
