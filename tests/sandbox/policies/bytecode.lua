-- Sandbox test: load refuses binary chunks
return { id = "S-BYTECODE", title = "sandbox: S-BYTECODE", severity = "low", resource = "cache",
  check = function(cache, ctx)
    local f, err = load("\27Lua\84\0\25\147\r\n\26\n", "x", "b")
    if f then return "fail", "ESCAPED: loaded bytecode" end
    local g, err2 = load("\27LuaT")
    if g then return "fail", "ESCAPED: loaded bytecode in default mode" end
    assert(string.dump == nil, "string.dump is there")
    error("refused: " .. tostring(err) .. " / " .. tostring(err2))
  end }
