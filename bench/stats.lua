-- wrk script for bench/web.py: counts answers by status and prints one JSON line at the end
-- (requests, p50/p95/p99 in microseconds, statuses). With the argument "cold" every request
-- carries a query parameter of its own, so no cache keyed on the address can answer it.
local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("id", counter)
    table.insert(threads, thread)
end

function init(args)
    statuses = {}
    cold = args[1] == "cold"
    sent = 0
    sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
end

function request()
    if cold then
        sent = sent + 1
        return wrk.format(nil, wrk.path .. sep .. "_bench=" .. id .. "-" .. sent)
    end
    return wrk.format()
end

function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
    local counts = {}
    for _, thread in ipairs(threads) do
        for status, n in pairs(thread:get("statuses")) do
            counts[status] = (counts[status] or 0) + n
        end
    end
    local parts = {}
    for status, n in pairs(counts) do
        table.insert(parts, string.format('"%d": %d', status, n))
    end
    local errors = summary.errors
    io.write(string.format(
        'BENCH {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, ' ..
        '"socket_errors": %d, "statuses": {%s}}\n',
        summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
        latency:percentile(99), errors.connect + errors.read + errors.write + errors.timeout,
        table.concat(parts, ", ")))
end
