-- wrk script: member search as an officer types it — name or pinyin prefix
-- in one subtree, first page, through the htmx partial the browser fetches.
-- Usage: wrk -t2 -c32 -d30s -s bench/search.lua http://127.0.0.1:8080 -- COOKIE ORG
local queries = {"zs", "wang", "li", "zhang", "chen", "lx", "wj", "liu", "huang", "zhao",
  "%E7%8E%8B", "%E6%9D%8E", "%E5%BC%A0", "%E5%88%98", "%E9%99%88", "yang", "zh", "wu", "zhou", "xu"}
local cookie, org
local i = 0
function init(args)
  cookie = args[1]
  org = args[2]
end
function request()
  i = i + 1
  local q = queries[(i % #queries) + 1]
  return wrk.format("GET", "/members?q=" .. q .. "&org=" .. org, {
    ["Cookie"] = "nuanxin_session=" .. cookie,
    ["HX-Request"] = "true",
    ["HX-Target"] = "member-table",
  })
end
done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors %d (status %d), p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, %.0f req/s\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests / (summary.duration / 1e6)))
end
