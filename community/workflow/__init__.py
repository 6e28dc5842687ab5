"""The only code that changes a status; every change writes an Event."""
