"""The pure rules of service-level clocks: calendars, the clock's arithmetic and the policy file.

No Django, no database, no clock reads: every function is given the moment it works at.
"""
