-- ecpolicy test must refuse this file (exit 2).
return { control = "T-TLS", cases = {} }
