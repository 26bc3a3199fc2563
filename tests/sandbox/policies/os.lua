-- Sandbox test: os is not there
return { id = "S-OS", title = "sandbox: S-OS", severity = "low", resource = "cache",
  check = function(cache, ctx)
    os.execute("touch /tmp/ecpolicy-escaped")
    return "fail", "ESCAPED"
  end }
