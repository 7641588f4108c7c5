"""Pricing as pure Python: fee schedules from the policy pack, and quotations priced from them."""
