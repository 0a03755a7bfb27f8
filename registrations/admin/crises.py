"""crises in the staff workplace."""
