"""QA review of real calls: intake, the review screen, calibration and CSV export."""
