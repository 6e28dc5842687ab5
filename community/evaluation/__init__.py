"""Did it work? Reports at a place before and after a response, against a ring and the city."""
