-- wrk: a keyed POST /prod/trigger with a valid registration, the same one every time (the
-- handler's retry path, so the store does not grow). The key is stack.json's; the body is the
-- file named by the script's argument (wrk ... URL -- registration.json), as a client sends it.
wrk.method = "POST"
wrk.headers["x-api-key"] = "TwinDevKey0123456789abcdef0123"
wrk.headers["Content-Type"] = "application/json"

function init(args)
  local file = assert(io.open(args[1], "rb"))
  wrk.body = file:read("*a"):gsub("%s+$", "")
  file:close()
end
