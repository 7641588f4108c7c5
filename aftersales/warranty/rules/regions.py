"""Region codes as Django-free TextChoices-like data, for models that need a choices list."""

from aftersales.warranty.rules.vocabulary import REGIONS


class Region:
    choices = [(code, f"{code} — {names[0]}") for code, names in REGIONS.items()]
    codes = tuple(REGIONS)
