"""Progress: skill levels over time from role-plays and reviewed calls, charts, panels and CSV exports."""
