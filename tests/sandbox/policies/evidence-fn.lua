-- Sandbox test: a function in evidence is refused
return { id = "S-EVIDENCEFN", title = "sandbox: S-EVIDENCEFN", severity = "low", resource = "cache",
  check = function()
    local loop = {}
    loop.self = loop
    return "fail", "bad evidence", { f = print, loop = loop }
  end }
