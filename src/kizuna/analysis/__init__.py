"""The coordinators' analyses: pure functions over `visible_to(actor)` that return plain data."""
