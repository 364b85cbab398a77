"""Rubrics: trainers and QA reviewers look at the rubrics, upload their own and choose one per team."""
