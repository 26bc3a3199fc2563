-- Assertions shared by the Lua tests.  A failure raises at the test's own
-- line (level 2), which the runner reports.

local error, pcall, tostring = error, pcall, tostring

local M = {}

-- eq(got, want, what): got == want, or fail naming what.
function M.eq(got, want, what)
  if got ~= want then
    error(("%s: got %s, want %s"):format(what or "value", tostring(got), tostring(want)), 2)
  end
end

-- raises(fragment, fn, ...): fn(...) raises an error whose text contains
-- fragment; returns the error.
function M.raises(fragment, fn, ...)
  local ok, err = pcall(fn, ...)
  if ok then error("expected an error mentioning " .. fragment, 2) end
  if not tostring(err):find(fragment, 1, true) then
    error(("error %q lacks %q"):format(tostring(err), fragment), 2)
  end
  return err
end

return M
