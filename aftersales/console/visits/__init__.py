"""On-site visits in the console: the day board of a centre (``board``), one visit's page
(``page``) and the posts that work it (``actions``): reassign, reschedule, agree the trip fee,
check in, check out, cancel."""
