os.execute("touch /tmp/ecpolicy-config-escaped")
return {}
