-- bench/http/post.lua — wrk script of the HTTP benchmark: every request is
-- a POST of one GraphQL request body, read from the file named after "--"
-- on wrk's command line, with the headers a GraphQL-over-HTTP client sends.
-- At the end it prints one JSON line (prefixed "wrk-json ") with the counts
-- and the latency percentiles in microseconds, for bench/http/run.mjs.

function init(args)
  local f = assert(io.open(args[1], "rb"), "cannot open the request body file")
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/graphql-response+json, application/json"
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'wrk-json {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
