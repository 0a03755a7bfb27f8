"""checkins in the staff workplace."""
