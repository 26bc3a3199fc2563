# Never answers in time; exec so that killing it leaves no child behind.
exec sleep 30
