"""The public case status page: a resident follows their report by its case number."""
