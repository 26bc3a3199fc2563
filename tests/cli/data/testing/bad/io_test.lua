-- ecpolicy test must refuse this file (exit 2).
local f = io.open("/etc/passwd")
return {}
