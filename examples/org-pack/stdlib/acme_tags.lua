-- Acme's tagging rules, shared by its policies: a pack's stdlib/ modules
-- are found by require like the built-in ones.

local M = {}

-- The keys of `required` that `tags` lacks or leaves empty, in order.
function M.missing(tags, required)
  local out = {}
  for _, key in ipairs(required) do
    local v = tags[key]
    if v == nil or v == "" then out[#out + 1] = key end
  end
  return out
end

return M
