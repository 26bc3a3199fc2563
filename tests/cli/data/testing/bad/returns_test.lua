-- ecpolicy test must refuse this file (exit 2).
local x = 1
