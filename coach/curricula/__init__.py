"""Curricula: trainers build programmes of scenarios, assign them and watch their teams."""
