"""Intake: the web form, SMS and Open311 all create concerns through intake.service."""
