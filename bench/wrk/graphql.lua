-- wrk script of the benchmark: POST /graphql, each request with the JWT of another user.
-- Arguments (after --): tokens file (one JWT a line), operation (ceiling | gate | ensure), template id,
-- number of wrk threads. Each thread takes every n-th token and cycles through them; "reused" counts the
-- requests that came back to a token already sent (cold scenarios must have none). At the end it prints one
-- line, BENCH_RESULT {json}, that the benchmark reads: requests, latency percentiles (microseconds), wrk's
-- socket errors, and "bad" answers (not HTTP 200, a GraphQL error, or not the expected data).

local threads = {}
local thread_count = 0

function setup(thread)
   thread:set("id", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

local bodies = {
   ceiling = '{"query":"{ __typename }"}',
   gate = '{"query":"query Gate($templateId: ID!) { verificationGate(templateId: $templateId) { decision reason inquiryId inquiryStatus checkedAt stale } }","variables":{"templateId":"TEMPLATE"}}',
   ensure = '{"query":"mutation Ensure($templateId: ID!) { ensureInquiry(input: {templateId: $templateId, clientMutationId: \\"bench\\"}) { created inquiryId sessionToken gate { decision reason } } }","variables":{"templateId":"TEMPLATE"}}',
}

local expected = {
   ceiling = '"__typename":"Query"',
   gate = '"decision":"',
   ensure = '"created":true',
}

function init(args)
   local path, operation, template, nthreads = args[1], args[2], args[3], tonumber(args[4])
   tokens = {}
   local line_number = 0
   for line in io.lines(path) do
      if line_number % nthreads == id then
         tokens[#tokens + 1] = line
      end
      line_number = line_number + 1
   end
   if #tokens == 0 then
      error("no tokens for thread " .. id .. " in " .. path)
   end
   body = string.gsub(bodies[operation], "TEMPLATE", template)
   expect = expected[operation]
   next_token = 1
   cycled = false
   reused = 0
   bad = 0
   bad_sample = ""
end

function request()
   if next_token > #tokens then
      next_token = 1
      cycled = true
   end
   if cycled then
      reused = reused + 1
   end
   local token = tokens[next_token]
   next_token = next_token + 1
   return wrk.format("POST", "/graphql", {
      ["Content-Type"] = "application/json",
      ["Accept"] = "application/json",
      ["Authorization"] = "Bearer " .. token,
   }, body)
end

function response(status, headers, response_body)
   if status ~= 200 or string.find(response_body, '"errors"', 1, true) or not string.find(response_body, expect, 1, true) then
      bad = bad + 1
      if bad_sample == "" then
         bad_sample = status .. " " .. string.sub(response_body, 1, 300)
      end
   end
end

local function escape(text)
   return (string.gsub(text, '[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end))
end

function done(summary, latency, requests)
   local total_bad, total_reused, tokens_sent, sample = 0, 0, 0, ""
   for _, thread in ipairs(threads) do
      total_bad = total_bad + thread:get("bad")
      total_reused = total_reused + thread:get("reused")
      local s = thread:get("bad_sample")
      if sample == "" and s ~= nil then
         sample = s
      end
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"bad":%d,"reused":%d,'
      .. '"latency_us":{"min":%d,"mean":%.1f,"stdev":%.1f,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d},'
      .. '"bad_sample":"%s"}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout, total_bad, total_reused,
      latency.min, latency.mean, latency.stdev, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency:percentile(99.9), latency.max, escape(sample)))
end
