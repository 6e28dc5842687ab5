"""Outcome metrics: how fast agencies act and resolve, backlogs, outcomes, where concerns come from."""
