"""The desktop terms' visit figures, written out as a pack gives them, for tests."""

CLAUSES = {"onsite-area": None, "visit-fees": None, "visit-evening": None, "vip": None}

VISITS = {
    "regions": ["CN"], "free_within_km": "80", "area_clause": "onsite-area",
    "day_fee": "100.00", "day_within_km": "40", "fee_clause": "visit-fees",
    "evening": {"from": "18:00", "until": "21:00", "clause": "visit-evening",
                "fees": [{"within_km": "10", "fee": "50.00"}, {"within_km": "20", "fee": "70.00"},
                         {"within_km": "30", "fee": "100.00"}, {"within_km": "40", "fee": "140.00"}]},
}

VIP = {"lines": ["rog-desktop"], "cleaning_visits": 1, "cleaning_months": 12, "software_visits": 1, "clause": "vip"}
