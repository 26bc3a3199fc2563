local t = nil
return { id = t.id }
