-- A policy over a raw collection: each security group is a resource.
return { id = "T-SG", title = "security groups have a description", severity = "info",
         resource = "security_groups",
         check = function(sg)
           if sg.Description and sg.Description ~= "" then return "pass" end
           return "fail", "no description"
         end }
