return { id = "T-PARAMS", title = "parameters of each type", severity = "low",
         resource = "cache",
         params = { n = 3, f = 0.5, flag = false, name = "x", list = { "a" } },
         check = function(_, ctx)
           local p = ctx.params
           return "pass", ("%s %s %s %s %s"):format(p.n, p.f, tostring(p.flag),
             p.name, table.concat(p.list, "+"))
         end }
