"""What the platform itself keeps in the database: the rate limits' counters.

A counter per (scope, client), shared by every web process and kept across restarts, so a
limit holds whichever process or machine answers and however often one is restarted
(aftersales/core/ratelimit.py writes and reads them).
"""

from django.db import models


class RateCounter(models.Model):
    # "scope:client", e.g. "case-lookup:203.0.113.7"; an address is at most 45 characters.
    key = models.CharField(max_length=200, primary_key=True)
    # When the counter's window ends, in whole seconds since the epoch: requests up to then
    # add to ``count``; the first one after starts a new window at 1.
    window_ends = models.BigIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        # Expired counters are deleted by their end (ratelimit._forget_expired).
        indexes = [models.Index(fields=["window_ends"], name="ratecounter_window_ends")]
        constraints = [models.CheckConstraint(condition=models.Q(count__gte=1), name="ratecounter_count_positive")]

    def __str__(self):
        return f"{self.key}: {self.count} until {self.window_ends}"
