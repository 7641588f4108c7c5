"""The overcharge audit: repairs of past years imported as history, re-priced with the pack and
price list in force on their day, and every overcharge listed with its evidence (SPEC §6)."""
