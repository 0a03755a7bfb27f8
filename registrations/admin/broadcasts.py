"""broadcasts in the staff workplace."""
