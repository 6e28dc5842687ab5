"""Demo data: Milwaukee's agencies, categories, staff and about 2,000 concerns."""
